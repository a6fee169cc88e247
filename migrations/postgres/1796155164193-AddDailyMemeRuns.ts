import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDailyMemeRuns1796155164193 implements MigrationInterface {
  name = 'AddDailyMemeRuns1796155164193';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "daily_meme_runs" ("day" character varying(10) NOT NULL, "meme_url" text NOT NULL, "posted_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_df3ca3c7485d79cbcf3bb47ebd5" PRIMARY KEY ("day"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "daily_meme_runs"`);
  }
}
