import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDailyMemeRuns1796155164193 implements MigrationInterface {
  name = 'AddDailyMemeRuns1796155164193';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "daily_meme_runs" ("day" varchar(10) PRIMARY KEY NOT NULL, "meme_url" text NOT NULL, "posted_at" datetime NOT NULL DEFAULT (datetime('now')))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "daily_meme_runs"`);
  }
}
