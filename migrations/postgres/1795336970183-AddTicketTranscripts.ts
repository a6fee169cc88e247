import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTicketTranscripts1795336970183 implements MigrationInterface {
  name = 'AddTicketTranscripts1795336970183';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tickets" ADD "transcript_text" text`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD "transcript_html" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "transcript_html"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "transcript_text"`);
  }
}
