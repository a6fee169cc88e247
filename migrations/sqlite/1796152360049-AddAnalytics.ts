import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAnalytics1796152360049 implements MigrationInterface {
  name = 'AddAnalytics1796152360049';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "analytics_day_sessions" ("day" varchar(10) NOT NULL, "session_id" varchar(64) NOT NULL, "user_id" varchar(36) NOT NULL, "first_at" datetime NOT NULL, "last_at" datetime NOT NULL, PRIMARY KEY ("day", "session_id"))`);
    await queryRunner.query(`CREATE TABLE "analytics_day_users" ("day" varchar(10) NOT NULL, "user_id" varchar(36) NOT NULL, PRIMARY KEY ("day", "user_id"))`);
    await queryRunner.query(`CREATE TABLE "analytics_daily" ("day" varchar(10) PRIMARY KEY NOT NULL, "sessions" integer NOT NULL, "unique_users" integer NOT NULL, "new_users" integer NOT NULL, "actions" integer NOT NULL, "session_ms" bigint NOT NULL, "platforms" text NOT NULL, "app_versions" text NOT NULL, "endpoints" text NOT NULL, "features" text NOT NULL, "hours" text NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "analytics_errors" ("signature" varchar(64) PRIMARY KEY NOT NULL, "type" varchar(100) NOT NULL, "message" varchar(500) NOT NULL, "route" varchar(200) NOT NULL, "count" integer NOT NULL, "first_at" datetime NOT NULL, "last_at" datetime NOT NULL, "stack" text)`);
    await queryRunner.query(`CREATE INDEX "IDX_analytics_errors_last" ON "analytics_errors" ("last_at") `);
    await queryRunner.query(`CREATE TABLE "analytics_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" datetime NOT NULL, "day" varchar(10) NOT NULL, "kind" varchar(10) NOT NULL, "name" varchar(120) NOT NULL, "method" varchar(10), "status" integer, "user_id" varchar(36) NOT NULL, "session_id" varchar(64) NOT NULL, "platform" varchar(40), "app_version" varchar(60), "props" text)`);
    await queryRunner.query(`CREATE INDEX "IDX_analytics_events_at" ON "analytics_events" ("at") `);
    await queryRunner.query(`CREATE TABLE "analytics_sessions" ("session_id" varchar(64) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "app_version" varchar(60), "client_session_id" varchar(100), "ip" varchar(64), "user_agent" varchar(300), "first_at" datetime NOT NULL, "last_at" datetime NOT NULL, "actions" integer NOT NULL, "endpoints" text NOT NULL, "last_endpoint" varchar(120) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_analytics_sessions_last" ON "analytics_sessions" ("last_at") `);
    await queryRunner.query(`CREATE TABLE "analytics_users" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "first_day" varchar(10) NOT NULL)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "analytics_users"`);
    await queryRunner.query(`DROP INDEX "IDX_analytics_sessions_last"`);
    await queryRunner.query(`DROP TABLE "analytics_sessions"`);
    await queryRunner.query(`DROP INDEX "IDX_analytics_events_at"`);
    await queryRunner.query(`DROP TABLE "analytics_events"`);
    await queryRunner.query(`DROP INDEX "IDX_analytics_errors_last"`);
    await queryRunner.query(`DROP TABLE "analytics_errors"`);
    await queryRunner.query(`DROP TABLE "analytics_daily"`);
    await queryRunner.query(`DROP TABLE "analytics_day_users"`);
    await queryRunner.query(`DROP TABLE "analytics_day_sessions"`);
  }
}
