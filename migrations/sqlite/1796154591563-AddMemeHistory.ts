import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddMemeHistory1796154591563 implements MigrationInterface {
  name = 'AddMemeHistory1796154591563';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "meme_history" ("url_hash" varchar(64) PRIMARY KEY NOT NULL, "url" text NOT NULL, "shown_at" datetime NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_meme_history_shown" ON "meme_history" ("shown_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_meme_history_shown"`);
    await queryRunner.query(`DROP TABLE "meme_history"`);
  }
}
