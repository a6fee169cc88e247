import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketMessageDiscordId1795341903594 implements MigrationInterface {
  name = 'TicketMessageDiscordId1795341903594';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ticket_messages" ADD "discord_message_id" character varying(20)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ea37ee6c30d2149ec7e356e75d" ON "ticket_messages"  ("discord_message_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_ea37ee6c30d2149ec7e356e75d"`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" DROP COLUMN "discord_message_id"`);
  }
}
