import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInvitesAndOutbox1795333287023 implements MigrationInterface {
  name = 'CreateInvitesAndOutbox1795333287023';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "cohorts" ("name" character varying(16) NOT NULL, "position" integer NOT NULL, "discord_role_id" character varying(20), "member_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_d1865366170f468d8eb720f8c8f" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_2c14558362f542440b7220ca8c" ON "cohorts"  ("position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "imported_members" ("email" character varying(254) NOT NULL, "cohort" character varying(16) NOT NULL, "imported_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_5eb4c4c49d318b57e3351b54494" PRIMARY KEY ("email"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "invite_codes" ("id" SERIAL NOT NULL, "code" character varying(80) NOT NULL, "cohort" character varying(16) NOT NULL, "max_uses" integer NOT NULL, "used_count" integer NOT NULL DEFAULT '0', "source" character varying(16) NOT NULL, "email" character varying(254), "name" character varying(200), "created_by" character varying(64), "expires_at" TIMESTAMP, "disabled_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_6c0ede25edb23ae63c935138e33" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e8034125cb28e0814cd5a526c2" ON "invite_codes"  ("code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invite_redemptions" ("id" SERIAL NOT NULL, "code_id" integer NOT NULL, "discord_user_id" character varying(20) NOT NULL, "cohort" character varying(16) NOT NULL, "redeemed_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_033d648c37f981b268e66493387" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3518c291bd8a5c3fae5c6a3e1b" ON "invite_redemptions"  ("discord_user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1446c9c0fae3b5ce5a92c67692" ON "invite_redemptions"  ("code_id", "discord_user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("key" character varying(300) NOT NULL, "request_hash" character varying(64) NOT NULL, "status_code" integer, "response_body" text, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_f97e644e78e639ac55614cbaffe" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("id" character varying(36) NOT NULL, "kind" character varying(40) NOT NULL, "payload" text NOT NULL, "status" character varying(16) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP NOT NULL, "locked_until" TIMESTAMP, "last_error" character varying(500), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "sent_at" TIMESTAMP, CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_026b59e1ff189e25edecb09f84" ON "outbox_messages"  ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "invite_redemptions" ADD CONSTRAINT "FK_30e5729f0be5a1bd781af1c59eb" FOREIGN KEY ("code_id") REFERENCES "invite_codes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "invite_redemptions" DROP CONSTRAINT "FK_30e5729f0be5a1bd781af1c59eb"`,
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
