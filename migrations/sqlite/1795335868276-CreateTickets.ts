import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTickets1795335868276 implements MigrationInterface {
  name = 'CreateTickets1795335868276';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tickets" ("id" varchar(36) PRIMARY KEY NOT NULL, "ticket_num" integer NOT NULL, "type" varchar(40) NOT NULL, "subject" varchar(100) NOT NULL, "description" text NOT NULL, "status" varchar(16) NOT NULL, "opener_id" varchar(36) NOT NULL, "opener_name" varchar(100) NOT NULL, "opener_avatar" varchar(300), "claimed_by" varchar(36), "claimed_by_name" varchar(100), "assigned_to" varchar(36), "assigned_to_name" varchar(100), "reopen_count" integer NOT NULL DEFAULT (0), "channel_id" varchar(20), "close_reason" text, "closed_by" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "closed_at" datetime)`,
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
    await queryRunner.query(
      `CREATE TABLE "ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ticket_reads" ("ticket_id" varchar(36) NOT NULL, "reader_id" varchar(36) NOT NULL, "last_read_message_id" integer NOT NULL, PRIMARY KEY ("ticket_id", "reader_id"))`,
    );
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb" FOREIGN KEY ("ticket_id") REFERENCES "tickets" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_ticket_messages"("id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at") SELECT "id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at" FROM "ticket_messages"`,
    );
    await queryRunner.query(`DROP TABLE "ticket_messages"`);
    await queryRunner.query(`ALTER TABLE "temporary_ticket_messages" RENAME TO "ticket_messages"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" RENAME TO "temporary_ticket_messages"`);
    await queryRunner.query(
      `CREATE TABLE "ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "ticket_messages"("id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at") SELECT "id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at" FROM "temporary_ticket_messages"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_ticket_messages"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
    await queryRunner.query(`DROP TABLE "ticket_reads"`);
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(`DROP TABLE "ticket_messages"`);
    await queryRunner.query(`DROP INDEX "IDX_987ba135604e779a190cd93684"`);
    await queryRunner.query(`DROP INDEX "IDX_12b901b34113688b4786368510"`);
    await queryRunner.query(`DROP INDEX "IDX_0be89df6b55ff6c53928b939cb"`);
    await queryRunner.query(`DROP TABLE "tickets"`);
  }
}
