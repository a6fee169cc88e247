import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddImportLedger1796172404146 implements MigrationInterface {
  name = 'AddImportLedger1796172404146';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "import_ledger" ("part" varchar(40) NOT NULL, "key" varchar(200) NOT NULL, "count" integer NOT NULL, "imported_at" datetime NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("part", "key"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_ledger"`);
  }
}
