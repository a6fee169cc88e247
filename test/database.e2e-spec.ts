import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  createScratchDatabase,
  openScratchDataSource,
  pendingSchemaChanges,
  SQLITE_SYNC_BUSY_WAIT_MS,
  TransactionRunner,
} from '../src/core/database';
import {
  createTestApp,
  DATABASE_KINDS,
  describeOn,
  postgresUrl,
  type TestApp,
} from './support/app';

@Entity({ name: 'probe_widgets' })
class ProbeWidget {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  name!: string;
}

const describeIfPostgres = postgresUrl ? describe : describe.skip;

for (const kind of DATABASE_KINDS)
  describeOn(kind)(`database on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ database: kind });
    });
    afterAll(() => t.close());

    it('has run the migrations on boot and matches the entities', async () => {
      const tables = await t.dataSource.query<unknown[]>(
        kind === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
          : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'migrations'",
      );
      expect(tables).toHaveLength(1);
      expect(await pendingSchemaChanges(t.dataSource)).toEqual([]);
    });

    it('commits every one of 50 concurrent transactions and none of a failed one', async () => {
      await t.dataSource.query(
        'CREATE TABLE tx_probe (id integer PRIMARY KEY, n integer NOT NULL)',
      );
      await t.dataSource.query('INSERT INTO tx_probe (id, n) VALUES (1, 0)');
      const runner = t.app.get(TransactionRunner);
      const lock = kind === 'postgres' ? ' FOR UPDATE' : '';
      const increments = Array.from({ length: 50 }, (_, i) =>
        runner.run(async (manager) => {
          // Read, yield, write: interleaving would lose updates or break the shared SQLite connection.
          const [{ n }] = await manager.query<{ n: number }[]>(
            `SELECT n FROM tx_probe WHERE id = 1${lock}`,
          );
          await new Promise((resolve) => setImmediate(resolve));
          await manager.query(`UPDATE tx_probe SET n = ${Number(n) + 1} WHERE id = 1`);
          await manager.query(`INSERT INTO tx_probe (id, n) VALUES (${i + 100}, ${i})`);
        }),
      );
      const failing = runner.run(async (manager) => {
        await manager.query('INSERT INTO tx_probe (id, n) VALUES (999, 1)');
        throw new Error('abort this one');
      });
      await expect(failing).rejects.toThrow('abort this one');
      await Promise.all(increments);

      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        'SELECT n FROM tx_probe WHERE id = 1',
      );
      expect(Number(n)).toBe(50);
      const [{ rows }] = await t.dataSource.query<{ rows: number }[]>(
        'SELECT COUNT(*) AS rows FROM tx_probe',
      );
      expect(Number(rows)).toBe(51);
      expect(await t.dataSource.query<unknown[]>('SELECT * FROM tx_probe WHERE id = 999')).toEqual(
        [],
      );
    });

    it('notices an entity that no migration creates', async () => {
      const scratch = await createScratchDatabase(kind, postgresUrl);
      const dataSource = await openScratchDataSource(scratch, [ProbeWidget]);
      try {
        await dataSource.runMigrations();
        const pending = await pendingSchemaChanges(dataSource);
        expect(pending.join('\n')).toMatch(/CREATE TABLE "probe_widgets"/);
      } finally {
        await dataSource.destroy();
        await scratch.dispose();
      }
    });
  });

describe('SQLite settings', () => {
  it('opens the file under DATA_DIR with WAL, foreign keys, a short lock wait and NORMAL sync', async () => {
    const t = await createTestApp();
    try {
      expect(t.config.database.target).toEqual({
        kind: 'sqlite',
        path: `${t.dataDir}/guildhall.sqlite`,
      });
      const pragma = async (name: string) =>
        Object.values(
          (await t.dataSource.query<Record<string, unknown>[]>(`PRAGMA ${name}`))[0],
        )[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      // The driver's own wait stops the event loop, so it stays short; longer waits are async.
      expect(await pragma('busy_timeout')).toBe(SQLITE_SYNC_BUSY_WAIT_MS);
      expect(await pragma('synchronous')).toBe(1); // NORMAL
    } finally {
      await t.close();
    }
  });

  it('takes SQLITE_SYNCHRONOUS=FULL, on both of its connections', async () => {
    const t = await createTestApp({ env: { SQLITE_SYNCHRONOUS: 'FULL' } });
    try {
      expect(await t.dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
      const inside = await t.app
        .get(TransactionRunner)
        .run((manager) => manager.query('PRAGMA synchronous'));
      expect(inside).toEqual([{ synchronous: 2 }]);
    } finally {
      await t.close();
    }
  });

  it('with DB_MIGRATE_ON_BOOT=false, refuses a database with pending migrations and runs none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildhall-migrate-'));
    const env = { SQLITE_PATH: join(dir, 'db.sqlite'), DB_MIGRATE_ON_BOOT: 'false' };
    try {
      await expect(createTestApp({ env })).rejects.toThrow('The database has pending migrations');
      const migrated = await createTestApp({ env: { ...env, DB_MIGRATE_ON_BOOT: 'true' } });
      const applied = await migrated.dataSource.query<unknown[]>('SELECT * FROM migrations');
      await migrated.close();
      const t = await createTestApp({ env });
      try {
        expect(await t.dataSource.query<unknown[]>('SELECT * FROM migrations')).toEqual(applied);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeIfPostgres('PostgreSQL settings', () => {
  it('works inside the configured schema only', async () => {
    const t = await createTestApp({ database: 'postgres' });
    try {
      const [{ schema }] = await t.dataSource.query<{ schema: string }[]>(
        'SELECT current_schema() AS schema',
      );
      expect(schema).toBe(t.config.database.schema);
      expect(schema).toMatch(/^guildhall_scratch_/);
    } finally {
      await t.close();
    }
  });
});
