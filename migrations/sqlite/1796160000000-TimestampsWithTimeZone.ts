import type { MigrationInterface } from 'typeorm';

/**
 * PostgreSQL's time columns gain a time zone in this migration. SQLite stores times as UTC text
 * already; it has nothing to change, and keeps the same list of migrations.
 */
export class TimestampsWithTimeZone1796160000000 implements MigrationInterface {
  name = 'TimestampsWithTimeZone1796160000000';

  public async up(): Promise<void> {
    // Nothing to do on SQLite.
  }

  public async down(): Promise<void> {
    // Nothing to do on SQLite.
  }
}
