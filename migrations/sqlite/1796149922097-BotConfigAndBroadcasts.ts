import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BotConfigAndBroadcasts1796149922097 implements MigrationInterface {
  name = 'BotConfigAndBroadcasts1796149922097';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "broadcasts" ("id" varchar(36) PRIMARY KEY NOT NULL, "title" varchar(200) NOT NULL, "message" text NOT NULL, "priority" varchar(10) NOT NULL, "sent_by" varchar(80) NOT NULL, "sent_by_name" varchar(100) NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE TABLE "config_audit" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "section" varchar(40) NOT NULL, "action" varchar(10) NOT NULL, "actor" varchar(80) NOT NULL, "actor_name" varchar(100) NOT NULL, "before" text NOT NULL, "after" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "IDX_config_audit_section" ON "config_audit" ("section", "id") `);
    await queryRunner.query(`CREATE TABLE "config_sections" ("name" varchar(40) PRIMARY KEY NOT NULL, "value" text, "version" integer NOT NULL, "updated_by" varchar(80) NOT NULL, "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "config_sections"`);
    await queryRunner.query(`DROP INDEX "IDX_config_audit_section"`);
    await queryRunner.query(`DROP TABLE "config_audit"`);
    await queryRunner.query(`DROP TABLE "broadcasts"`);
  }
}
