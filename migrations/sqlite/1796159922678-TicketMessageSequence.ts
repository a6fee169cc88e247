import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketMessageSequence1796159922678 implements MigrationInterface {
  name = 'TicketMessageSequence1796159922678';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_be4060f43662ade644f5dcfd52"`);
    await queryRunner.query(`DROP INDEX "IDX_0be89df6b55ff6c53928b939cb"`);
    await queryRunner.query(`DROP INDEX "IDX_12b901b34113688b4786368510"`);
    await queryRunner.query(`DROP INDEX "IDX_987ba135604e779a190cd93684"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_tickets" ("id" varchar(36) PRIMARY KEY NOT NULL, "ticket_num" integer NOT NULL, "type" varchar(40) NOT NULL, "subject" varchar(100) NOT NULL, "description" text NOT NULL, "status" varchar(16) NOT NULL, "opener_id" varchar(36) NOT NULL, "opener_name" varchar(100) NOT NULL, "opener_avatar" varchar(300), "claimed_by" varchar(36), "claimed_by_name" varchar(100), "assigned_to" varchar(36), "assigned_to_name" varchar(100), "reopen_count" integer NOT NULL DEFAULT (0), "channel_id" varchar(20), "close_reason" text, "closed_by" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "closed_at" datetime, "transcript_text" text, "transcript_html" text, "message_seq" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tickets"("id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at", "transcript_text", "transcript_html") SELECT "id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at", "transcript_text", "transcript_html" FROM "tickets"`,
    );
    await queryRunner.query(`DROP TABLE "tickets"`);
    await queryRunner.query(`ALTER TABLE "temporary_tickets" RENAME TO "tickets"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_be4060f43662ade644f5dcfd52" ON "tickets" ("channel_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0be89df6b55ff6c53928b939cb" ON "tickets" ("ticket_num") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_987ba135604e779a190cd93684" ON "tickets" ("opener_id", "created_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(`DROP INDEX "IDX_ea37ee6c30d2149ec7e356e75d"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "discord_message_id" varchar(20), "author_role" varchar(16), "seq" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb" FOREIGN KEY ("ticket_id") REFERENCES "tickets" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_ticket_messages"("id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id", "author_role") SELECT "id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id", "author_role" FROM "ticket_messages"`,
    );
    await queryRunner.query(`DROP TABLE "ticket_messages"`);
    await queryRunner.query(`ALTER TABLE "temporary_ticket_messages" RENAME TO "ticket_messages"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ea37ee6c30d2149ec7e356e75d" ON "ticket_messages" ("discord_message_id") `,
    );
    // Existing messages are numbered in stored order, and each ticket remembers its last number.
    await queryRunner.query(
      `UPDATE "ticket_messages" SET "seq" = (SELECT COUNT(*) FROM "ticket_messages" "m" WHERE "m"."ticket_id" = "ticket_messages"."ticket_id" AND "m"."id" <= "ticket_messages"."id")`,
    );
    await queryRunner.query(
      `UPDATE "tickets" SET "message_seq" = (SELECT COUNT(*) FROM "ticket_messages" "m" WHERE "m"."ticket_id" = "tickets"."id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_04558f34121da93216fe9cc8d4" ON "ticket_messages" ("ticket_id", "seq") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_04558f34121da93216fe9cc8d4"`);
    await queryRunner.query(`DROP INDEX "IDX_ea37ee6c30d2149ec7e356e75d"`);
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" RENAME TO "temporary_ticket_messages"`);
    await queryRunner.query(
      `CREATE TABLE "ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "discord_message_id" varchar(20), "author_role" varchar(16), CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb" FOREIGN KEY ("ticket_id") REFERENCES "tickets" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "ticket_messages"("id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id", "author_role") SELECT "id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id", "author_role" FROM "temporary_ticket_messages"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_ticket_messages"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ea37ee6c30d2149ec7e356e75d" ON "ticket_messages" ("discord_message_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_987ba135604e779a190cd93684"`);
    await queryRunner.query(`DROP INDEX "IDX_12b901b34113688b4786368510"`);
    await queryRunner.query(`DROP INDEX "IDX_0be89df6b55ff6c53928b939cb"`);
    await queryRunner.query(`DROP INDEX "IDX_be4060f43662ade644f5dcfd52"`);
    await queryRunner.query(`ALTER TABLE "tickets" RENAME TO "temporary_tickets"`);
    await queryRunner.query(
      `CREATE TABLE "tickets" ("id" varchar(36) PRIMARY KEY NOT NULL, "ticket_num" integer NOT NULL, "type" varchar(40) NOT NULL, "subject" varchar(100) NOT NULL, "description" text NOT NULL, "status" varchar(16) NOT NULL, "opener_id" varchar(36) NOT NULL, "opener_name" varchar(100) NOT NULL, "opener_avatar" varchar(300), "claimed_by" varchar(36), "claimed_by_name" varchar(100), "assigned_to" varchar(36), "assigned_to_name" varchar(100), "reopen_count" integer NOT NULL DEFAULT (0), "channel_id" varchar(20), "close_reason" text, "closed_by" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "closed_at" datetime, "transcript_text" text, "transcript_html" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "tickets"("id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at", "transcript_text", "transcript_html") SELECT "id", "ticket_num", "type", "subject", "description", "status", "opener_id", "opener_name", "opener_avatar", "claimed_by", "claimed_by_name", "assigned_to", "assigned_to_name", "reopen_count", "channel_id", "close_reason", "closed_by", "created_at", "updated_at", "closed_at", "transcript_text", "transcript_html" FROM "temporary_tickets"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tickets"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_987ba135604e779a190cd93684" ON "tickets" ("opener_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets" ("status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0be89df6b55ff6c53928b939cb" ON "tickets" ("ticket_num") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_be4060f43662ade644f5dcfd52" ON "tickets" ("channel_id") `,
    );
  }
}
