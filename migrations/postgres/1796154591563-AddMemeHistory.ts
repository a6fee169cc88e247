import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddMemeHistory1796154591563 implements MigrationInterface {
  name = 'AddMemeHistory1796154591563';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "meme_history" ("url_hash" character varying(64) NOT NULL, "url" text NOT NULL, "shown_at" TIMESTAMP NOT NULL, CONSTRAINT "PK_81c3b4ea71e57b7c0722b584d6d" PRIMARY KEY ("url_hash"))`);
    await queryRunner.query(`CREATE INDEX "IDX_meme_history_shown" ON "meme_history"  ("shown_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_meme_history_shown"`);
    await queryRunner.query(`DROP TABLE "meme_history"`);
  }
}
