import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import type { DataSource, EntityManager } from 'typeorm';
import { TransactionRunner } from './transaction-runner';
import type { SqliteReader } from './sqlite-engine';
import { Metrics } from '../metrics';

/**
 * How a hot path talks to the database in this codebase: plain parameterised SQL, written once with
 * `?` placeholders, prepared once and reused. TypeORM's query builder rebuilds and re-escapes its
 * SQL on every call, which costs more than running it; entities and the builder stay for
 * everything that is not hot. A feature's repository holds its statements and maps rows to what
 * its callers use (see TicketsRepository); `Rows` below turns the two drivers' values into one.
 *
 * - Outside a transaction, `HotSql.rows` runs a read (a statement that writes is refused): on
 *   SQLite a better-sqlite3 statement on whichever of the engine's connections has no transaction
 *   open (WAL: the last commit, never waiting for a writer; see SqliteEngine.read); on PostgreSQL
 *   a named prepared statement of the pool's connections.
 * - `HotSql.cachedRows` is the same read for what many clients read again and again between
 *   writes (the ticket list): on SQLite its rows are kept in memory until the database changes,
 *   which one tiny statement tells exactly (see `SqliteReadCache`).
 * - Inside a transaction, `runSql(manager, …)` runs any statement on the transaction's own
 *   connection and returns its rows and the number of rows it changed.
 */
export type SqlParam = string | number | boolean | Date | null;

export interface SqlResult<Row> {
  rows: Row[];
  affected: number;
}

interface SqliteStatement {
  readonly readonly: boolean;
  all(...params: unknown[]): unknown[];
  raw(toggle: boolean): SqliteStatement;
  get(...params: unknown[]): unknown;
}
interface PgPool {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
    rowMode?: 'array';
  }): Promise<{ rows: unknown[] }>;
}

/** A row as an array of values, in the order of the statement's columns. */
export type SqlRow = readonly unknown[];

/**
 * The columns a statement selects, and where each lands in its rows: rows come as arrays because
 * building an object per row in the driver costs more than the query (better-sqlite3 sets each
 * property through V8's slow path).
 */
export function columns<Name extends string>(
  prefix: string,
  names: readonly Name[],
): { sql: string; at: Readonly<Record<Name, number>> } {
  return {
    sql: names.map((name) => (prefix ? `${prefix}.${name}` : name)).join(', '),
    at: Object.fromEntries(names.map((name, i) => [name, i])) as Record<Name, number>,
  };
}

@Injectable()
export class HotSql {
  private readonly kind: 'sqlite' | 'postgres';
  private readonly statements = new WeakMap<SqliteReader, Map<string, SqliteStatement>>();
  private readonly pgTexts = new Map<string, { name: string; text: string }>();
  private readCache?: SqliteReadCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly metrics: Metrics,
  ) {
    this.kind = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** Runs a read outside any transaction; each row is an array of its column values. */
  rows(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    const done = this.metrics.databaseReads.startTimer();
    return this.query(sql, params).finally(() => done());
  }

  private query(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    if (this.kind === 'sqlite') {
      const values = params.map(sqliteValue);
      return this.transactions.read((db) => this.statement(db, sql).all(...values) as SqlRow[]);
    }
    const { name, text } = this.pgText(sql);
    const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
    return pool
      .query({ name, text, values: [...params], rowMode: 'array' })
      .then((result) => result.rows as SqlRow[]);
  }

  async row(sql: string, params: readonly SqlParam[]): Promise<SqlRow | undefined> {
    return (await this.rows(sql, params))[0];
  }

  /**
   * The same read as `rows`, for statements read far more often than their tables change. On
   * SQLite the rows are kept until the database changes, by this process or any other; callers
   * must not change them. On PostgreSQL every call reads.
   */
  cachedRows(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    const done = this.metrics.databaseReads.startTimer();
    if (this.kind !== 'sqlite') return this.query(sql, params).finally(() => done());
    const values = params.map(sqliteValue);
    if (!this.readCache) {
      const cache = new SqliteReadCache(
        this.metrics,
        this.prepare('SELECT total_changes(), data_version FROM pragma_data_version'),
      );
      this.transactions.onSqliteWrite(() => cache.recheck());
      this.readCache = cache;
    }
    const cache = this.readCache;
    return this.transactions
      .read((db) =>
        cache.rows(sql, values, () => this.statement(db, sql).all(...values) as SqlRow[]),
      )
      .finally(() => done());
  }

  /** `sql` prepared on `db`, once per connection (the engine reads on either of its two). */
  private statement(db: SqliteReader, sql: string): SqliteStatement {
    let known = this.statements.get(db);
    if (!known) this.statements.set(db, (known = new Map<string, SqliteStatement>()));
    let statement = known.get(sql);
    if (!statement) {
      const prepared = db.prepare(sql) as SqliteStatement;
      // Run outside the write queue, so only reads: a write here could land inside a transaction.
      if (!prepared.readonly) throw new Error(`HotSql runs reads only: ${sql}`);
      statement = prepared.raw(true);
      known.set(sql, statement);
    }
    return statement;
  }

  private prepare(sql: string): SqliteStatement {
    const db = (
      this.dataSource.driver as unknown as {
        databaseConnection: { prepare(s: string): SqliteStatement };
      }
    ).databaseConnection;
    return db.prepare(sql).raw(true);
  }

  private pgText(sql: string): { name: string; text: string } {
    let entry = this.pgTexts.get(sql);
    if (!entry) {
      const text = toPostgres(sql);
      entry = { name: `gh_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
      this.pgTexts.set(sql, entry);
    }
    return entry;
  }
}

/**
 * Rows of reads on the shared SQLite connection, kept while the database is unchanged. Whether it
 * changed is one statement: `total_changes()` counts the rows this connection wrote (the engine's
 * own transactions, on a file, use a second connection) and `PRAGMA data_version` moves when any
 * other connection commits, in this process or another one (a CLI import, a restore). The version
 * is read before the rows, so rows are never kept under a version older than what they show.
 *
 * The statement runs once per turn of the event loop, not once per read: the reads of all the
 * requests a turn serves share one reading (under load, dozens). Every write of this process ends
 * with `recheck()`, so the next read checks again at once and a process sees its own writes
 * exactly; another process's commit is seen from the next turn on, as if it had come a moment
 * later. Bounded in statements and in rows.
 */
class SqliteReadCache {
  private readonly entries = new LRUCache<string, SqlRow[]>({
    max: 512,
    maxSize: 5_000,
    sizeCalculation: (rows) => rows.length + 1,
  });
  private changes = -1;
  private dataVersion = -1;
  /**
   * A short number per statement text, so a key is not the whole text again on every call (the
   * texts are constants, whose hashes the engine keeps). As many as HotSql keeps prepared.
   */
  private readonly ids = new Map<string, number>();

  /** Whether the version was read in this turn of the event loop, with no write since. */
  private checked = false;
  private readonly endTurn = () => this.recheck();

  private readonly hits: { inc(): void };
  private readonly misses: { inc(): void };

  constructor(
    metrics: Metrics,
    private readonly version: SqliteStatement,
  ) {
    this.hits = metrics.databaseReadCache.labels('hit');
    this.misses = metrics.databaseReadCache.labels('miss');
  }

  /** The next read reads the version again (after a write of this process). */
  recheck(): void {
    this.checked = false;
  }

  rows(sql: string, values: readonly unknown[], read: () => SqlRow[]): SqlRow[] {
    if (!this.checked) {
      this.checked = true;
      setImmediate(this.endTurn);
      const [changes, dataVersion] = this.version.get() as [number, number];
      if (changes !== this.changes || dataVersion !== this.dataVersion) {
        this.entries.clear();
        this.changes = changes;
        this.dataVersion = dataVersion;
      }
    }
    const key = `${this.statementId(sql)}\u0000${JSON.stringify(values)}`;
    let rows = this.entries.get(key);
    if (rows === undefined) {
      rows = read();
      this.entries.set(key, rows);
      this.misses.inc();
    } else this.hits.inc();
    return rows;
  }

  private statementId(sql: string): number {
    let id = this.ids.get(sql);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(sql, id);
    }
    return id;
  }
}

/** Runs a statement inside the transaction `manager` belongs to. */
export async function runSql<Row>(
  manager: EntityManager,
  sql: string,
  params: readonly SqlParam[],
): Promise<SqlResult<Row>> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('runSql needs the EntityManager of a transaction');
  const postgres = manager.connection.options.type === 'postgres';
  const result = await runner.query(
    postgres ? toPostgres(sql) : sql,
    postgres ? [...params] : params.map(sqliteValue),
    true,
  );
  return { rows: (result.records ?? []) as Row[], affected: result.affected ?? 0 };
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (hot SQL has no `?` inside string literals). */
export function toPostgres(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

/** Dates as TypeORM stores them in SQLite (UTC, milliseconds), booleans as 0/1. */
function sqliteValue(value: SqlParam): unknown {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** One reading of the values both drivers return. */
export const Rows = {
  date(value: unknown): Date {
    if (value instanceof Date) return value;
    const text = String(value);
    // SQLite keeps UTC without a zone: "2026-12-01 11:06:11.123".
    return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
  },
  dateOrNull(value: unknown): Date | null {
    return value === null || value === undefined ? null : Rows.date(value);
  },
  int(value: unknown): number {
    return typeof value === 'number' ? value : Number(value);
  },
  bool(value: unknown): boolean {
    return value === true || value === 1 || value === '1' || value === 't';
  },
};
