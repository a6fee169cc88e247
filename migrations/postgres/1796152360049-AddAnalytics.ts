import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAnalytics1796152360049 implements MigrationInterface {
  name = 'AddAnalytics1796152360049';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "analytics_day_sessions" ("day" character varying(10) NOT NULL, "session_id" character varying(64) NOT NULL, "user_id" character varying(36) NOT NULL, "first_at" TIMESTAMP NOT NULL, "last_at" TIMESTAMP NOT NULL, CONSTRAINT "PK_3a7b675681e29eba2af06652cb5" PRIMARY KEY ("day", "session_id"))`);
    await queryRunner.query(`CREATE TABLE "analytics_day_users" ("day" character varying(10) NOT NULL, "user_id" character varying(36) NOT NULL, CONSTRAINT "PK_a5ad5d9c7bf2cf47ad58af10783" PRIMARY KEY ("day", "user_id"))`);
    await queryRunner.query(`CREATE TABLE "analytics_daily" ("day" character varying(10) NOT NULL, "sessions" integer NOT NULL, "unique_users" integer NOT NULL, "new_users" integer NOT NULL, "actions" integer NOT NULL, "session_ms" bigint NOT NULL, "platforms" text NOT NULL, "app_versions" text NOT NULL, "endpoints" text NOT NULL, "features" text NOT NULL, "hours" text NOT NULL, CONSTRAINT "PK_7ff2362fca6098d844d87bd0e02" PRIMARY KEY ("day"))`);
    await queryRunner.query(`CREATE TABLE "analytics_errors" ("signature" character varying(64) NOT NULL, "type" character varying(100) NOT NULL, "message" character varying(500) NOT NULL, "route" character varying(200) NOT NULL, "count" integer NOT NULL, "first_at" TIMESTAMP NOT NULL, "last_at" TIMESTAMP NOT NULL, "stack" text, CONSTRAINT "PK_16910a85dcd42fe085098dcf9e5" PRIMARY KEY ("signature"))`);
    await queryRunner.query(`CREATE INDEX "IDX_analytics_errors_last" ON "analytics_errors"  ("last_at") `);
    await queryRunner.query(`CREATE TABLE "analytics_events" ("id" SERIAL NOT NULL, "at" TIMESTAMP NOT NULL, "day" character varying(10) NOT NULL, "kind" character varying(10) NOT NULL, "name" character varying(120) NOT NULL, "method" character varying(10), "status" integer, "user_id" character varying(36) NOT NULL, "session_id" character varying(64) NOT NULL, "platform" character varying(40), "app_version" character varying(60), "props" text, CONSTRAINT "PK_5d643d67a09b55653e98616f421" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_analytics_events_at" ON "analytics_events"  ("at") `);
    await queryRunner.query(`CREATE TABLE "analytics_sessions" ("session_id" character varying(64) NOT NULL, "user_id" character varying(36) NOT NULL, "platform" character varying(40), "device_info" character varying(200), "app_version" character varying(60), "client_session_id" character varying(100), "ip" character varying(64), "user_agent" character varying(300), "first_at" TIMESTAMP NOT NULL, "last_at" TIMESTAMP NOT NULL, "actions" integer NOT NULL, "endpoints" text NOT NULL, "last_endpoint" character varying(120) NOT NULL, CONSTRAINT "PK_a7c08786d5fee0c506267978700" PRIMARY KEY ("session_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_analytics_sessions_last" ON "analytics_sessions"  ("last_at") `);
    await queryRunner.query(`CREATE TABLE "analytics_users" ("user_id" character varying(36) NOT NULL, "first_day" character varying(10) NOT NULL, CONSTRAINT "PK_09d606d03f4b0796f28ecbf0194" PRIMARY KEY ("user_id"))`);
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
