import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig, DatabaseTarget } from '../env';
import { buildDataSourceOptions } from './data-source-options';
import { newDataSource } from './data-source';

export interface ScratchDatabase {
  /** The database settings, for an app or a DataSource of the caller's own. */
  database: AppConfig['database'];
  dispose(): Promise<void>;
}

/**
 * A database nobody else uses: a new SQLite file in a temporary folder, or a new schema in the given
 * PostgreSQL database (dropped again by `dispose`).
 */
const NO_BACKUPS = { dir: undefined, everySeconds: 86_400, keep: 7 };

export async function createScratchDatabase(
  kind: DatabaseTarget['kind'],
  postgresUrl?: string,
): Promise<ScratchDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'guildhall-'));
    return {
      database: {
        target: { kind: 'sqlite', path: join(dir, 'guildhall.sqlite') },
        schema: undefined,
        dataDir: dir,
        migrateOnBoot: true,
        busyTimeoutMs: 5_000,
        sqliteSynchronous: 'NORMAL',
        backup: NO_BACKUPS,
      },
      dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  if (!postgresUrl) throw new Error('A PostgreSQL scratch database needs a connection URL');
  const schema = `guildhall_scratch_${randomBytes(6).toString('hex')}`;
  await withAdminConnection(postgresUrl, (admin) => admin.query(`CREATE SCHEMA "${schema}"`));
  return {
    database: {
      target: { kind: 'postgres', url: postgresUrl },
      schema,
      dataDir: tmpdir(),
      migrateOnBoot: true,
      busyTimeoutMs: 5_000,
      sqliteSynchronous: 'NORMAL',
      backup: NO_BACKUPS,
    },
    dispose: () =>
      withAdminConnection(postgresUrl, (admin) => admin.query(`DROP SCHEMA "${schema}" CASCADE`)),
  };
}

/** Opens a DataSource on a scratch database with the given entities; migrations are not run. */
export async function openScratchDataSource(
  scratch: ScratchDatabase,
  entities: DataSourceOptions['entities'],
  /** The migration files to know of, instead of all of this kind (an upgrade from an older schema). */
  migrations?: string[],
): Promise<DataSource> {
  const options = buildDataSourceOptions(scratch.database, { entities });
  const dataSource = newDataSource(migrations ? { ...options, migrations } : options);
  return dataSource.initialize();
}

async function withAdminConnection(
  url: string,
  work: (admin: DataSource) => Promise<unknown>,
): Promise<void> {
  const admin = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}
