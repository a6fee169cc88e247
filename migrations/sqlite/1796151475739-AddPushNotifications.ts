import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPushNotifications1796151475739 implements MigrationInterface {
  name = 'AddPushNotifications1796151475739';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notification_settings" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "notifications_enabled" boolean NOT NULL DEFAULT (1), "ticket_new_messages" boolean NOT NULL DEFAULT (1), "ticket_mentions" boolean NOT NULL DEFAULT (1), "ticket_created" boolean NOT NULL DEFAULT (1), "ticket_assigned" boolean NOT NULL DEFAULT (1), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE TABLE "push_tokens" ("token" varchar(1024) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "registered_at" datetime NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_push_tokens_user" ON "push_tokens" ("user_id", "registered_at") `);
    await queryRunner.query(`CREATE TABLE "temporary_notification_settings" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "notifications_enabled" boolean NOT NULL DEFAULT (1), "ticket_new_messages" boolean NOT NULL DEFAULT (1), "ticket_mentions" boolean NOT NULL DEFAULT (1), "ticket_created" boolean NOT NULL DEFAULT (1), "ticket_assigned" boolean NOT NULL DEFAULT (1), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_91a7ffebe8b406c4470845d4781" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_notification_settings"("user_id", "notifications_enabled", "ticket_new_messages", "ticket_mentions", "ticket_created", "ticket_assigned", "updated_at") SELECT "user_id", "notifications_enabled", "ticket_new_messages", "ticket_mentions", "ticket_created", "ticket_assigned", "updated_at" FROM "notification_settings"`);
    await queryRunner.query(`DROP TABLE "notification_settings"`);
    await queryRunner.query(`ALTER TABLE "temporary_notification_settings" RENAME TO "notification_settings"`);
    await queryRunner.query(`DROP INDEX "IDX_push_tokens_user"`);
    await queryRunner.query(`CREATE TABLE "temporary_push_tokens" ("token" varchar(1024) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "registered_at" datetime NOT NULL, CONSTRAINT "FK_94c371aff70dedeb89dae39f440" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_push_tokens"("token", "user_id", "platform", "device_info", "created_at", "registered_at") SELECT "token", "user_id", "platform", "device_info", "created_at", "registered_at" FROM "push_tokens"`);
    await queryRunner.query(`DROP TABLE "push_tokens"`);
    await queryRunner.query(`ALTER TABLE "temporary_push_tokens" RENAME TO "push_tokens"`);
    await queryRunner.query(`CREATE INDEX "IDX_push_tokens_user" ON "push_tokens" ("user_id", "registered_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_push_tokens_user"`);
    await queryRunner.query(`ALTER TABLE "push_tokens" RENAME TO "temporary_push_tokens"`);
    await queryRunner.query(`CREATE TABLE "push_tokens" ("token" varchar(1024) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "registered_at" datetime NOT NULL)`);
    await queryRunner.query(`INSERT INTO "push_tokens"("token", "user_id", "platform", "device_info", "created_at", "registered_at") SELECT "token", "user_id", "platform", "device_info", "created_at", "registered_at" FROM "temporary_push_tokens"`);
    await queryRunner.query(`DROP TABLE "temporary_push_tokens"`);
    await queryRunner.query(`CREATE INDEX "IDX_push_tokens_user" ON "push_tokens" ("user_id", "registered_at") `);
    await queryRunner.query(`ALTER TABLE "notification_settings" RENAME TO "temporary_notification_settings"`);
    await queryRunner.query(`CREATE TABLE "notification_settings" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "notifications_enabled" boolean NOT NULL DEFAULT (1), "ticket_new_messages" boolean NOT NULL DEFAULT (1), "ticket_mentions" boolean NOT NULL DEFAULT (1), "ticket_created" boolean NOT NULL DEFAULT (1), "ticket_assigned" boolean NOT NULL DEFAULT (1), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "notification_settings"("user_id", "notifications_enabled", "ticket_new_messages", "ticket_mentions", "ticket_created", "ticket_assigned", "updated_at") SELECT "user_id", "notifications_enabled", "ticket_new_messages", "ticket_mentions", "ticket_created", "ticket_assigned", "updated_at" FROM "temporary_notification_settings"`);
    await queryRunner.query(`DROP TABLE "temporary_notification_settings"`);
    await queryRunner.query(`DROP INDEX "IDX_push_tokens_user"`);
    await queryRunner.query(`DROP TABLE "push_tokens"`);
    await queryRunner.query(`DROP TABLE "notification_settings"`);
  }
}
