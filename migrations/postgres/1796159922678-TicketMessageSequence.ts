import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketMessageSequence1796159922678 implements MigrationInterface {
  name = 'TicketMessageSequence1796159922678';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tickets" ADD "message_seq" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" ADD "seq" integer NOT NULL DEFAULT '0'`);
    // Existing messages are numbered in stored order, and each ticket remembers its last number.
    await queryRunner.query(
      `UPDATE "ticket_messages" SET "seq" = (SELECT COUNT(*) FROM "ticket_messages" "m" WHERE "m"."ticket_id" = "ticket_messages"."ticket_id" AND "m"."id" <= "ticket_messages"."id")`,
    );
    await queryRunner.query(
      `UPDATE "tickets" SET "message_seq" = (SELECT COUNT(*) FROM "ticket_messages" "m" WHERE "m"."ticket_id" = "tickets"."id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_04558f34121da93216fe9cc8d4" ON "ticket_messages"  ("ticket_id", "seq") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_04558f34121da93216fe9cc8d4"`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" DROP COLUMN "seq"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "message_seq"`);
  }
}
