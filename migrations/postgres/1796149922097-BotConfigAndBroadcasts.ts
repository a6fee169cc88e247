import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BotConfigAndBroadcasts1796149922097 implements MigrationInterface {
  name = 'BotConfigAndBroadcasts1796149922097';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "broadcasts" ("id" character varying(36) NOT NULL, "title" character varying(200) NOT NULL, "message" text NOT NULL, "priority" character varying(10) NOT NULL, "sent_by" character varying(80) NOT NULL, "sent_by_name" character varying(100) NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_b0586900034d0726bbdcb1b21b2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "config_audit" ("id" SERIAL NOT NULL, "section" character varying(40) NOT NULL, "action" character varying(10) NOT NULL, "actor" character varying(80) NOT NULL, "actor_name" character varying(100) NOT NULL, "before" text NOT NULL, "after" text NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_f7b9ead6fa76fec4391d14e6339" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_config_audit_section" ON "config_audit"  ("section", "id") `);
    await queryRunner.query(`CREATE TABLE "config_sections" ("name" character varying(40) NOT NULL, "value" text, "version" integer NOT NULL, "updated_by" character varying(80) NOT NULL, "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_6d525a30f622661e0c2e9bf1a6a" PRIMARY KEY ("name"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "config_sections"`);
    await queryRunner.query(`DROP INDEX "IDX_config_audit_section"`);
    await queryRunner.query(`DROP TABLE "config_audit"`);
    await queryRunner.query(`DROP TABLE "broadcasts"`);
  }
}
