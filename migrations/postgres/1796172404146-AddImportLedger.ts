import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddImportLedger1796172404146 implements MigrationInterface {
  name = 'AddImportLedger1796172404146';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "import_ledger" ("part" character varying(40) NOT NULL, "key" character varying(200) NOT NULL, "count" integer NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_54d548d2a08c36b0a5c7a3de022" PRIMARY KEY ("part", "key"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_ledger"`);
  }
}
