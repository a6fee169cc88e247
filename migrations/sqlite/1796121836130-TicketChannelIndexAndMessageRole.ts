import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketChannelIndexAndMessageRole1796121836130 implements MigrationInterface {
  name = 'TicketChannelIndexAndMessageRole1796121836130';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_ea37ee6c30d2149ec7e356e75d"`);
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "discord_message_id" varchar(20), "author_role" varchar(16), CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb" FOREIGN KEY ("ticket_id") REFERENCES "tickets" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_ticket_messages"("id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id") SELECT "id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id" FROM "ticket_messages"`,
    );
    await queryRunner.query(`DROP TABLE "ticket_messages"`);
    await queryRunner.query(`ALTER TABLE "temporary_ticket_messages" RENAME TO "ticket_messages"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ea37ee6c30d2149ec7e356e75d" ON "ticket_messages" ("discord_message_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_be4060f43662ade644f5dcfd52" ON "tickets" ("channel_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_be4060f43662ade644f5dcfd52"`);
    await queryRunner.query(`DROP INDEX "IDX_791667efe4e1b10a446b753464"`);
    await queryRunner.query(`DROP INDEX "IDX_ea37ee6c30d2149ec7e356e75d"`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" RENAME TO "temporary_ticket_messages"`);
    await queryRunner.query(
      `CREATE TABLE "ticket_messages" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ticket_id" varchar(36) NOT NULL, "author_id" varchar(36) NOT NULL, "author_name" varchar(100) NOT NULL, "author_avatar" varchar(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL, "attachments" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "discord_message_id" varchar(20), CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb" FOREIGN KEY ("ticket_id") REFERENCES "tickets" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "ticket_messages"("id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id") SELECT "id", "ticket_id", "author_id", "author_name", "author_avatar", "content", "is_staff", "source", "attachments", "created_at", "discord_message_id" FROM "temporary_ticket_messages"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_ticket_messages"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages" ("ticket_id", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ea37ee6c30d2149ec7e356e75d" ON "ticket_messages" ("discord_message_id") `,
    );
  }
}
