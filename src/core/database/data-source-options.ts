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
/** Used by the TypeORM CLI, which has no Nest module graph to collect entities from. */
export const ENTITIES_GLOB = join(__dirname, '..', '..', '**', '*.entity.{js,ts}');

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
        timeout: database.busyTimeoutMs,
        enableWAL: target.path !== ':memory:',
        prepareDatabase: (db: { pragma(source: string): unknown }) => {
          // WAL makes readers independent of the writer; NORMAL is durable in WAL mode except for the
          // last transactions before a power loss, never corrupting.
          db.pragma('synchronous = NORMAL');
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
