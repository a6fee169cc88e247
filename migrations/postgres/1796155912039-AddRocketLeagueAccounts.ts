import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRocketLeagueAccounts1796155912039 implements MigrationInterface {
  name = 'AddRocketLeagueAccounts1796155912039';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "rl_accounts" ("user_id" character varying(36) NOT NULL, "discord_id" character varying(20) NOT NULL, "platform" character varying(10) NOT NULL, "username" character varying(100) NOT NULL, "tier_names" text NOT NULL, "rank_display" text NOT NULL, "icon_urls" text NOT NULL, "last_fetched" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_99bc24b95adb087bdb654f8df56" PRIMARY KEY ("user_id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_rl_accounts_discord" ON "rl_accounts"  ("discord_id") `);
    await queryRunner.query(`ALTER TABLE "rl_accounts" ADD CONSTRAINT "FK_99bc24b95adb087bdb654f8df56" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rl_accounts" DROP CONSTRAINT "FK_99bc24b95adb087bdb654f8df56"`);
    await queryRunner.query(`DROP INDEX "UQ_rl_accounts_discord"`);
    await queryRunner.query(`DROP TABLE "rl_accounts"`);
  }
}
