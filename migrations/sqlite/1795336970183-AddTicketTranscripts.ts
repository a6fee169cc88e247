import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTicketTranscripts1795336970183 implements MigrationInterface {
  name = 'AddTicketTranscripts1795336970183';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_987ba135604e779a190cd93684"`);
    await queryRunner.query(`DROP INDEX "IDX_12b901b34113688b4786368510"`);
    await queryRunner.query(`DROP INDEX "IDX_0be89df6b55ff6c53928b939cb"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_tickets" ("id" varchar(36) PRIMARY KEY NOT NULL, "ticket_num" integer NOT NULL, "type" varchar(40) NOT NULL, "subject" varchar(100) NOT NULL, "description" text NOT NULL, "status" varchar(16) NOT NULL, "opener_id" varchar(36) NOT NULL, "opener_name" varchar(100) NOT NULL, "opener_avatar" varchar(300), "claimed_by" varchar(36), "claimed_by_name" varchar(100), "assigned_to" varchar(36), "assigned_to_name" varchar(100), "reopen_count" integer NOT NULL DEFAULT (0), "channel_id" varchar(20), "close_reason" text, "closed_by" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "closed_at" datetime, "transcript_text" text, "transcript_html" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tickets"("id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at") SELECT "id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at" FROM "tickets"`,
    );
    await queryRunner.query(`DROP TABLE "tickets"`);
    await queryRunner.query(`ALTER TABLE "temporary_tickets" RENAME TO "tickets"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_987ba135604e779a190cd93684" ON "tickets" ("opener_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets" ("status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0be89df6b55ff6c53928b939cb" ON "tickets" ("ticket_num") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_0be89df6b55ff6c53928b939cb"`);
    await queryRunner.query(`DROP INDEX "IDX_12b901b34113688b4786368510"`);
    await queryRunner.query(`DROP INDEX "IDX_987ba135604e779a190cd93684"`);
    await queryRunner.query(`ALTER TABLE "tickets" RENAME TO "temporary_tickets"`);
    await queryRunner.query(
      `CREATE TABLE "tickets" ("id" varchar(36) PRIMARY KEY NOT NULL, "ticket_num" integer NOT NULL, "type" varchar(40) NOT NULL, "subject" varchar(100) NOT NULL, "description" text NOT NULL, "status" varchar(16) NOT NULL, "opener_id" varchar(36) NOT NULL, "opener_name" varchar(100) NOT NULL, "opener_avatar" varchar(300), "claimed_by" varchar(36), "claimed_by_name" varchar(100), "assigned_to" varchar(36), "assigned_to_name" varchar(100), "reopen_count" integer NOT NULL DEFAULT (0), "channel_id" varchar(20), "close_reason" text, "closed_by" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "closed_at" datetime)`,
    );
    await queryRunner.query(
      `INSERT INTO "tickets"("id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at") SELECT "id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at" FROM "temporary_tickets"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tickets"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0be89df6b55ff6c53928b939cb" ON "tickets" ("ticket_num") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_987ba135604e779a190cd93684" ON "tickets" ("opener_id", "created_at") `,
    );
  }
}
