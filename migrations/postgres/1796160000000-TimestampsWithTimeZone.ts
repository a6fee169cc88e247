import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every time column becomes `timestamp with time zone`, so that instances in different time zones
 * agree. The stored values were written as UTC, and are read as UTC.
 */
export class TimestampsWithTimeZone1796160000000 implements MigrationInterface {
  name = 'TimestampsWithTimeZone1796160000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await convert(queryRunner, 'timestamp without time zone', 'timestamp with time zone');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await convert(queryRunner, 'timestamp with time zone', 'timestamp without time zone');
  }
}

async function convert(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  const columns = (await queryRunner.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = $1 AND table_name <> 'migrations'
      ORDER BY table_name, column_name`,
    [from],
  )) as { table_name: string; column_name: string }[];
  for (const { table_name: table, column_name: column } of columns)
    await queryRunner.query(
      `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE ${to} USING "${column}" AT TIME ZONE 'UTC'`,
    );
}
