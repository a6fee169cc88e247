import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRocketLeagueAccounts1796155912039 implements MigrationInterface {
  name = 'AddRocketLeagueAccounts1796155912039';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "rl_accounts" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "discord_id" varchar(20) NOT NULL, "platform" varchar(10) NOT NULL, "username" varchar(100) NOT NULL, "tier_names" text NOT NULL, "rank_display" text NOT NULL, "icon_urls" text NOT NULL, "last_fetched" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_rl_accounts_discord" ON "rl_accounts" ("discord_id") `);
    await queryRunner.query(`DROP INDEX "UQ_rl_accounts_discord"`);
    await queryRunner.query(`CREATE TABLE "temporary_rl_accounts" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "discord_id" varchar(20) NOT NULL, "platform" varchar(10) NOT NULL, "username" varchar(100) NOT NULL, "tier_names" text NOT NULL, "rank_display" text NOT NULL, "icon_urls" text NOT NULL, "last_fetched" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_99bc24b95adb087bdb654f8df56" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_rl_accounts"("user_id", "discord_id", "platform", "username", "tier_names", "rank_display", "icon_urls", "last_fetched", "created_at") SELECT "user_id", "discord_id", "platform", "username", "tier_names", "rank_display", "icon_urls", "last_fetched", "created_at" FROM "rl_accounts"`);
    await queryRunner.query(`DROP TABLE "rl_accounts"`);
    await queryRunner.query(`ALTER TABLE "temporary_rl_accounts" RENAME TO "rl_accounts"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_rl_accounts_discord" ON "rl_accounts" ("discord_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_rl_accounts_discord"`);
    await queryRunner.query(`ALTER TABLE "rl_accounts" RENAME TO "temporary_rl_accounts"`);
    await queryRunner.query(`CREATE TABLE "rl_accounts" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "discord_id" varchar(20) NOT NULL, "platform" varchar(10) NOT NULL, "username" varchar(100) NOT NULL, "tier_names" text NOT NULL, "rank_display" text NOT NULL, "icon_urls" text NOT NULL, "last_fetched" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "rl_accounts"("user_id", "discord_id", "platform", "username", "tier_names", "rank_display", "icon_urls", "last_fetched", "created_at") SELECT "user_id", "discord_id", "platform", "username", "tier_names", "rank_display", "icon_urls", "last_fetched", "created_at" FROM "temporary_rl_accounts"`);
    await queryRunner.query(`DROP TABLE "temporary_rl_accounts"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_rl_accounts_discord" ON "rl_accounts" ("discord_id") `);
    await queryRunner.query(`DROP INDEX "UQ_rl_accounts_discord"`);
    await queryRunner.query(`DROP TABLE "rl_accounts"`);
  }
}
