import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTickets1795335868276 implements MigrationInterface {
  name = 'CreateTickets1795335868276';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tickets" ("id" character varying(36) NOT NULL, "ticket_num" integer NOT NULL, "type" character varying(40) NOT NULL, "subject" character varying(100) NOT NULL, "description" text NOT NULL, "status" character varying(16) NOT NULL, "opener_id" character varying(36) NOT NULL, "opener_name" character varying(100) NOT NULL, "opener_avatar" character varying(300), "claimed_by" character varying(36), "claimed_by_name" character varying(100), "assigned_to" character varying(36), "assigned_to_name" character varying(100), "reopen_count" integer NOT NULL DEFAULT '0', "channel_id" character varying(20), "close_reason" text, "closed_by" character varying(36), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "updated_at" TIMESTAMP NOT NULL DEFAULT now(), "closed_at" TIMESTAMP, CONSTRAINT "PK_343bc942ae261cf7a1377f48fd0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0be89df6b55ff6c53928b939cb" ON "tickets"  ("ticket_num") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_12b901b34113688b4786368510" ON "tickets"  ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_987ba135604e779a190cd93684" ON "tickets"  ("opener_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ticket_messages" ("id" SERIAL NOT NULL, "ticket_id" character varying(36) NOT NULL, "author_id" character varying(36) NOT NULL, "author_name" character varying(100) NOT NULL, "author_avatar" character varying(300), "content" text NOT NULL, "is_staff" boolean NOT NULL DEFAULT false, "source" character varying(16) NOT NULL, "attachments" text NOT NULL, "created_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_37beb692dedf7eccb4e519ccec1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_791667efe4e1b10a446b753464" ON "ticket_messages"  ("ticket_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ticket_reads" ("ticket_id" character varying(36) NOT NULL, "reader_id" character varying(36) NOT NULL, "last_read_message_id" integer NOT NULL, CONSTRAINT "PK_e45c7f0d72cfcfb46a3e497a79b" PRIMARY KEY ("ticket_id", "reader_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "ticket_messages" ADD CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ticket_messages" DROP CONSTRAINT "FK_75b3a5f421dbf7b73778da519cb"`,
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
