import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTicketSequence1795336797014 implements MigrationInterface {
  name = 'AddTicketSequence1795336797014';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ticket_sequence" ("name" character varying(32) NOT NULL, "next_value" integer NOT NULL, CONSTRAINT "PK_2f7f5553b71a05b9d61be3bb5d5" PRIMARY KEY ("name"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ticket_sequence"`);
  }
}
