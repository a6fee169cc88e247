import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig, DatabaseTarget } from '../env';

/**
 * Migrations live at the repository root (compiled next to `dist/src`), one folder per database
 * kind, because SQL generated for SQLite does not run on PostgreSQL and the other way round.
 */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', '..', 'migrations');

export function migrationsGlob(kind: DatabaseTarget['kind']): string {
  return join(MIGRATIONS_DIR, kind, '*.{js,ts}');
}

/** The names this version's migrations are recorded under (`CreateTickets1795335868276`, ...). */
export function knownMigrationNames(kind: DatabaseTarget['kind']): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(join(MIGRATIONS_DIR, kind))) {
    const match = /^(\d+)-(\w+)\.(js|ts)$/.exec(file);
    if (match) names.add(`${match[2]}${match[1]}`);
  }
  return [...names].sort();
}
/** Used by the TypeORM CLI, which has no Nest module graph to collect entities from. */
export const ENTITIES_GLOB = join(__dirname, '..', '..', '**', '*.entity.{js,ts}');

/**
 * better-sqlite3 waits for a lock synchronously, stopping the whole event loop, so its own wait is
 * kept this short; longer waits are retried asynchronously up to SQLITE_BUSY_TIMEOUT_MS (see
 * SqliteEngine).
 */
export const SQLITE_SYNC_BUSY_WAIT_MS = 20;

export interface DataSourceExtras {
  entities?: DataSourceOptions['entities'];
}

export function buildDataSourceOptions(
  database: AppConfig['database'],
  extras: DataSourceExtras = {},
): DataSourceOptions {
  const { target } = database;
  const common = {
    entities: extras.entities ?? [],
    migrations: [migrationsGlob(target.kind)],
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  switch (target.kind) {
    case 'sqlite':
      return {
        ...common,
        type: 'better-sqlite3',
        database: target.path,
        timeout: SQLITE_SYNC_BUSY_WAIT_MS,
        enableWAL: target.path !== ':memory:',
        prepareDatabase: (db: { pragma(source: string): unknown }) => {
          db.pragma(`synchronous = ${database.sqliteSynchronous}`);
        },
      };
    case 'postgres':
      return {
        ...common,
        type: 'postgres',
        url: target.url,
        // A search_path (rather than TypeORM's `schema`) keeps generated SQL free of schema names.
        extra: database.schema
          ? { max: 10, options: `-c search_path=${database.schema}` }
          : { max: 10 },
      };
  }
}
