import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketChannelIndexAndMessageRole1796121836130 implements MigrationInterface {
  name = 'TicketChannelIndexAndMessageRole1796121836130';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ticket_messages" ADD "author_role" character varying(16)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_be4060f43662ade644f5dcfd52" ON "tickets"  ("channel_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_be4060f43662ade644f5dcfd52"`);
    await queryRunner.query(`ALTER TABLE "ticket_messages" DROP COLUMN "author_role"`);
  }
}
