import Database from 'better-sqlite3';
import { HotSql, TransactionRunner } from '../src/core/database';
import { Metrics } from '../src/core/metrics';
import { createTestApp, type TestApp } from './support/app';
import { adminToken } from './support/users';

type Row = Record<string, unknown>;

/** A promise and the function that settles it, for holding a transaction open at a known point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('transactions on SQLite', () => {
  let t: TestApp;
  let runner: TransactionRunner;
  const rows = (sql: string) => t.dataSource.query<Row[]>(sql);

  beforeAll(async () => {
    t = await createTestApp();
    runner = t.app.get(TransactionRunner);
    await t.dataSource.query('CREATE TABLE parents (id integer PRIMARY KEY)');
    // Deferred: a missing parent is noticed only at COMMIT, which then fails.
    await t.dataSource.query(
      'CREATE TABLE children (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)',
    );
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM children');
    await t.dataSource.query('DELETE FROM parents');
  });

  it('answers reads outside an open transaction at once with the last commit, and queues writes behind it', async () => {
    await t.dataSource.query('INSERT INTO parents (id) VALUES (1)');
    const hold = gate();
    const began = gate();
    const failing = runner.run(async (manager) => {
      await manager.query('INSERT INTO parents (id) VALUES (2)');
      began.open();
      await hold.opened;
      throw new Error('roll back');
    });
    await began.opened;
    const outsideWrite = t.dataSource.query('INSERT INTO parents (id) VALUES (3)');
    let written = false;
    void outsideWrite.then(() => (written = true));
    // The read neither waits for the transaction nor sees its uncommitted row.
    expect(await rows('SELECT id FROM parents ORDER BY id')).toEqual([{ id: 1 }]);
    expect(written).toBe(false);
    hold.open();
    await expect(failing).rejects.toThrow('roll back');
    await outsideWrite;
    expect(await rows('SELECT id FROM parents ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('answers hot reads with the last commit, on either connection, and runs no write there', async () => {
    const hot = t.app.get(HotSql);
    const ids = async () =>
      (await hot.rows('SELECT id FROM parents ORDER BY id', [])).map((r) => r[0]);
    await runner.run((manager) => manager.query('INSERT INTO parents (id) VALUES (1)'));
    // No transaction open: read where the last one was written.
    expect(await ids()).toEqual([1]);
    const hold = gate();
    const began = gate();
    const open = runner.run(async (manager) => {
      await manager.query('INSERT INTO parents (id) VALUES (2)');
      began.open();
      await hold.opened;
    });
    await began.opened;
    // One is open: the read neither waits for it nor sees its row.
    expect(await ids()).toEqual([1]);
    hold.open();
    await open;
    expect(await ids()).toEqual([1, 2]);
    await expect(hot.rows('DELETE FROM parents', [])).rejects.toThrow('HotSql runs reads only');
    expect(await ids()).toEqual([1, 2]);
  });

  it('after a failed COMMIT leaves no transaction open: what follows commits, and survives a reopen', async () => {
    const commitFails = runner.run(async (manager) => {
      await manager.query('INSERT INTO parents (id) VALUES (10)');
      await manager.query('INSERT INTO children (id, parent_id) VALUES (1, 999)');
    });
    // Matched by its fields: better-sqlite3 builds its errors with the class of the first test file
    // that loaded it, so `instanceof Error` does not hold in the others.
    await expect(commitFails).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
      message: 'FOREIGN KEY constraint failed',
    });

    await runner.run((manager) => manager.query('INSERT INTO parents (id) VALUES (11)'));
    const rejected = runner.run(async (manager) => {
      await manager.query('INSERT INTO children (id, parent_id) VALUES (2, 11)');
      throw new Error('a rule said no');
    });
    await expect(rejected).rejects.toThrow('a rule said no');
    await runner.run((manager) =>
      manager.query('INSERT INTO children (id, parent_id) VALUES (3, 11)'),
    );
    await t.dataSource.query('INSERT INTO parents (id) VALUES (12)');

    // Another connection sees exactly what was acknowledged, so it is committed, not pending.
    const other = new Database(sqlitePath(t));
    try {
      expect(other.prepare('SELECT id FROM parents ORDER BY id').all()).toEqual([
        { id: 11 },
        { id: 12 },
      ]);
      expect(other.prepare('SELECT id, parent_id FROM children').all()).toEqual([
        { id: 3, parent_id: 11 },
      ]);
      // Nobody holds the write lock: another process can write at once.
      other.exec('BEGIN IMMEDIATE; ROLLBACK');
    } finally {
      other.close();
    }
  });

  it('joins a nested run() under a savepoint: its failure undoes only its own part', async () => {
    await runner.run(async (manager) => {
      await manager.query('INSERT INTO parents (id) VALUES (20)');
      await expect(
        runner.run(async (inner) => {
          await inner.query('INSERT INTO parents (id) VALUES (21)');
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await runner.run((inner) => inner.query('INSERT INTO parents (id) VALUES (22)'));
    });
    expect(await rows('SELECT id FROM parents ORDER BY id')).toEqual([{ id: 20 }, { id: 22 }]);
  });

  it('runs side effects after the commit, outside the transaction, and never after a rollback', async () => {
    const seen: Row[][] = [];
    await runner.run(async (manager) => {
      await manager.query('INSERT INTO parents (id) VALUES (30)');
      runner.afterCommit(() => {
        // Outside the transaction: a read on the shared connection sees the committed row.
        void rows('SELECT id FROM parents WHERE id = 30').then((found) => seen.push(found));
      });
      expect(seen).toEqual([]);
    });
    const rolledBack = jest.fn();
    await expect(
      runner.run(() => {
        runner.afterCommit(rolledBack);
        return Promise.reject(new Error('no'));
      }),
    ).rejects.toThrow('no');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([[{ id: 30 }]]);
    expect(rolledBack).not.toHaveBeenCalled();
  });

  it('keeps work that was not awaited out of the transaction', async () => {
    let late: Promise<unknown> | undefined;
    let bypass: Promise<unknown> | undefined;
    await runner.run(async (manager) => {
      await manager.query('INSERT INTO parents (id) VALUES (40)');
      // Started inside, but still running when the transaction commits.
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
        manager.query('INSERT INTO parents (id) VALUES (41)'),
      );
      // A write that bypasses the transaction's manager while it is open.
      bypass = t.dataSource.query('INSERT INTO parents (id) VALUES (42)');
      await bypass.catch(() => undefined);
    });
    await expect(late).rejects.toThrow('belongs to a transaction that has already ended');
    await expect(bypass).rejects.toThrow('use the EntityManager that run() passes');
    expect(await rows('SELECT id FROM parents ORDER BY id')).toEqual([{ id: 40 }]);
  });

  it('refuses a transaction begun on the shared connection', async () => {
    await expect(t.dataSource.query('BEGIN')).rejects.toThrow('TransactionRunner.run()');
    await expect(t.dataSource.transaction(() => Promise.resolve())).rejects.toThrow(
      'TransactionRunner.run()',
    );
  });
});

describe('group commit on SQLite', () => {
  let t: TestApp;
  let runner: TransactionRunner;
  const ids = async (table: string) =>
    (await t.dataSource.query<Row[]>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);
  /** How many COMMITs there were, and how many transactions they committed. */
  const commits = async () => {
    const { values } = await t.app.get(Metrics).databaseCommitGroups.get();
    const value = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
    return {
      commits: value('database_commit_transactions_count'),
      transactions: value('database_commit_transactions_sum'),
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    runner = t.app.get(TransactionRunner);
    await t.dataSource.query('CREATE TABLE grouped (id integer PRIMARY KEY, n integer NOT NULL)');
    // A statement that makes SQLite give up the whole transaction, not only itself.
    await t.dataSource.query(
      "CREATE TRIGGER grouped_abort BEFORE INSERT ON grouped WHEN NEW.n < 0 BEGIN SELECT RAISE(ROLLBACK, 'the whole transaction is rolled back'); END",
    );
  });
  afterAll(() => t.close());
  beforeEach(() => t.dataSource.query('DELETE FROM grouped'));

  const insert = (id: number, n = 0) =>
    runner.run((manager) => manager.query('INSERT INTO grouped (id, n) VALUES (?, ?)', [id, n]));

  it('commits the transactions of one turn together; one that fails undoes only its own part', async () => {
    const before = await commits();
    const results = await Promise.allSettled([
      ...Array.from({ length: 28 }, (_, i) => insert(i + 1)),
      runner.run(async (manager) => {
        await manager.query('INSERT INTO grouped (id, n) VALUES (100, 0)');
        throw new Error('a rule said no');
      }),
      // Its first row goes in, its second is refused: neither stays.
      runner.run(async (manager) => {
        await manager.query('INSERT INTO grouped (id, n) VALUES (101, 0)');
        await manager.query('INSERT INTO grouped (id, n) VALUES (1, 0)');
      }),
      insert(29),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(29);
    expect(results[28]).toMatchObject({
      status: 'rejected',
      reason: { message: 'a rule said no' },
    });
    expect(results[29]).toMatchObject({
      status: 'rejected',
      reason: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
    });
    expect(await ids('grouped')).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
    const after = await commits();
    expect(after.transactions - before.transactions).toBe(29);
    // All in one COMMIT, or a few: far fewer than one each.
    expect(after.commits - before.commits).toBeLessThanOrEqual(3);
  });

  it('when one takes the whole transaction with it, fails those before it and runs those after it anew', async () => {
    const results = await Promise.allSettled([
      insert(1),
      insert(2),
      insert(3, -1),
      insert(4),
      insert(5),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    for (const result of results.slice(0, 3))
      expect(String((result as PromiseRejectedResult).reason)).toContain(
        'the whole transaction is rolled back',
      );
    expect(await ids('grouped')).toEqual([4, 5]);
    // Nothing is left open: the next transaction commits.
    await insert(6);
    expect(await ids('grouped')).toEqual([4, 5, 6]);
  });

  it('runs transactions one by one while a constraint is checked only at COMMIT', async () => {
    await t.dataSource.query(
      'CREATE TABLE deferred_children (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES grouped (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    await insert(1);
    const before = await commits();
    const results = await Promise.allSettled([
      insert(2),
      runner.run((manager) =>
        manager.query('INSERT INTO deferred_children (id, parent_id) VALUES (1, 999)'),
      ),
      runner.run((manager) =>
        manager.query('INSERT INTO deferred_children (id, parent_id) VALUES (2, 1)'),
      ),
      insert(3),
    ]);
    // The violation fails its own COMMIT only.
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(results[1]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
    const after = await commits();
    expect(after.commits - before.commits).toBe(3);
    expect(after.transactions - before.transactions).toBe(3);

    // Once the table is gone, they share a COMMIT again.
    await t.dataSource.query('DROP TABLE deferred_children');
    const dropped = await commits();
    await Promise.all([insert(4), insert(5), insert(6)]);
    const grouped = await commits();
    expect(grouped.transactions - dropped.transactions).toBe(3);
    expect(grouped.commits - dropped.commits).toBe(1);
  });
});

describe("another process's lock on SQLite", () => {
  it('waits for it without stopping the server, then writes', async () => {
    const t = await createTestApp();
    const lock = new Database(sqlitePath(t));
    try {
      const token = await adminToken(t);
      lock.exec('BEGIN IMMEDIATE');
      const write = t
        .http()
        .post('/api/auth/login')
        .send({ username: 'admin', password: 'test-admin-password' })
        .then((res) => res);
      const health = await t.http().get('/health');
      const read = await t.http().get('/api/tickets').set('Authorization', `Bearer ${token}`);
      // Both answered while the lock is still held.
      expect(lock.inTransaction).toBe(true);
      expect(health.status).toBe(200);
      expect(read.status).toBe(200);
      lock.exec('COMMIT');
      expect((await write).status).toBe(200);
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
      await t.close();
    }
  });

  it('answers 503 DATABASE_BUSY with Retry-After when it outlasts SQLITE_BUSY_TIMEOUT_MS, then recovers', async () => {
    const t = await createTestApp({ env: { SQLITE_BUSY_TIMEOUT_MS: '200' } });
    const lock = new Database(sqlitePath(t));
    const login = () =>
      t.http().post('/api/auth/login').send({ username: 'admin', password: 'test-admin-password' });
    try {
      const before = await t.dataSource.query<Row[]>('SELECT COUNT(*) AS n FROM sessions');
      lock.exec('BEGIN EXCLUSIVE');
      const busy = await login();
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.body).toMatchObject({ code: 503, error_code: 'DATABASE_BUSY' });
      lock.exec('ROLLBACK');
      expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM sessions')).toEqual(before);
      expect((await login()).status).toBe(200);
      expect(t.logs.text()).toContain('SQLITE_BUSY_TIMEOUT_MS');
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
      await t.close();
    }
  });
});

function sqlitePath(t: TestApp): string {
  const { target } = t.config.database;
  if (target.kind !== 'sqlite') throw new Error('not on SQLite');
  return target.path;
}
