import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTicketSequence1795336797014 implements MigrationInterface {
  name = 'AddTicketSequence1795336797014';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ticket_sequence" ("name" varchar(32) PRIMARY KEY NOT NULL, "next_value" integer NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ticket_sequence"`);
  }
}
