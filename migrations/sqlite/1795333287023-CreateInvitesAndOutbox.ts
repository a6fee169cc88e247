import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInvitesAndOutbox1795333287023 implements MigrationInterface {
  name = 'CreateInvitesAndOutbox1795333287023';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "cohorts" ("name" varchar(16) PRIMARY KEY NOT NULL, "position" integer NOT NULL, "discord_role_id" varchar(20), "member_count" integer NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_2c14558362f542440b7220ca8c" ON "cohorts" ("position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "imported_members" ("email" varchar(254) PRIMARY KEY NOT NULL, "cohort" varchar(16) NOT NULL, "imported_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "invite_codes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(80) NOT NULL, "cohort" varchar(16) NOT NULL, "max_uses" integer NOT NULL, "used_count" integer NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "email" varchar(254), "name" varchar(200), "created_by" varchar(64), "expires_at" datetime, "disabled_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e8034125cb28e0814cd5a526c2" ON "invite_codes" ("code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invite_redemptions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code_id" integer NOT NULL, "discord_user_id" varchar(20) NOT NULL, "cohort" varchar(16) NOT NULL, "redeemed_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b" ON "invite_redemptions" ("discord_user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1446c9c0fae3b5ce5a92c67692" ON "invite_redemptions" ("code_id", "discord_user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("key" varchar(300) PRIMARY KEY NOT NULL, "request_hash" varchar(64) NOT NULL, "status_code" integer, "response_body" text, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(40) NOT NULL, "payload" text NOT NULL, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" datetime NOT NULL, "locked_until" datetime, "last_error" varchar(500), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "sent_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_026b59e1ff189e25edecb09f84" ON "outbox_messages" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b"`);
    await queryRunner.query(`DROP INDEX "IDX_1446c9c0fae3b5ce5a92c67692"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_invite_redemptions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code_id" integer NOT NULL, "discord_user_id" varchar(20) NOT NULL, "cohort" varchar(16) NOT NULL, "redeemed_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_30e5729f0be5a1bd781af1c59eb" FOREIGN KEY ("code_id") REFERENCES "invite_codes" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_invite_redemptions"("id", "code_id", "discord_user_id", "cohort", "redeemed_at") SELECT "id", "code_id", "discord_user_id", "cohort", "redeemed_at" FROM "invite_redemptions"`,
    );
    await queryRunner.query(`DROP TABLE "invite_redemptions"`);
    await queryRunner.query(
      `ALTER TABLE "temporary_invite_redemptions" RENAME TO "invite_redemptions"`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b" ON "invite_redemptions" ("discord_user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1446c9c0fae3b5ce5a92c67692" ON "invite_redemptions" ("code_id", "discord_user_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_1446c9c0fae3b5ce5a92c67692"`);
    await queryRunner.query(`DROP INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b"`);
    await queryRunner.query(
      `ALTER TABLE "invite_redemptions" RENAME TO "temporary_invite_redemptions"`,
    );
    await queryRunner.query(
      `CREATE TABLE "invite_redemptions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code_id" integer NOT NULL, "discord_user_id" varchar(20) NOT NULL, "cohort" varchar(16) NOT NULL, "redeemed_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "invite_redemptions"("id", "code_id", "discord_user_id", "cohort", "redeemed_at") SELECT "id", "code_id", "discord_user_id", "cohort", "redeemed_at" FROM "temporary_invite_redemptions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_invite_redemptions"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1446c9c0fae3b5ce5a92c67692" ON "invite_redemptions" ("code_id", "discord_user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b" ON "invite_redemptions" ("discord_user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_026b59e1ff189e25edecb09f84"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
    await queryRunner.query(`DROP INDEX "IDX_1446c9c0fae3b5ce5a92c67692"`);
    await queryRunner.query(`DROP INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b"`);
    await queryRunner.query(`DROP TABLE "invite_redemptions"`);
    await queryRunner.query(`DROP INDEX "IDX_e8034125cb28e0814cd5a526c2"`);
    await queryRunner.query(`DROP TABLE "invite_codes"`);
    await queryRunner.query(`DROP TABLE "imported_members"`);
    await queryRunner.query(`DROP INDEX "IDX_2c14558362f542440b7220ca8c"`);
    await queryRunner.query(`DROP TABLE "cohorts"`);
  }
}
