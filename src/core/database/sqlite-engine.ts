import type { AsyncLocalStorage } from 'node:async_hooks';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import {
  DatabaseBusy,
  driverErrorCode,
  type StorageCondition,
  storageConditionOf,
  storageFailureOf,
} from '../errors/storage-errors';
import { SQLITE_SYNC_BUSY_WAIT_MS } from './data-source-options';
import { SerialQueue } from './serial-queue';
import type { StorageMonitor } from './storage-monitor';
import type { TransactionScope } from './transaction-scope';

/** The parts of a better-sqlite3 connection used here. */
interface SqliteConnection {
  readonly inTransaction: boolean;
  readonly open: boolean;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  prepare(sql: string): { get(): unknown };
  close(): void;
}
/** A connection a read may prepare its statements on. */
export interface SqliteReader {
  prepare(sql: string): unknown;
}
type SqliteConstructor = new (path: string, options: { timeout: number }) => SqliteConnection;
type Query = (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
type RunnerInternals = Omit<QueryRunner, 'query' | 'connect' | 'isTransactionActive'> & {
  query: Query;
  connect(): Promise<SqliteConnection>;
  getStmt(sql: string): Promise<{ readonly: boolean }>;
  isTransactionActive: boolean;
  transactionDepth: number;
  stmtCache: Map<string, unknown>;
};

export interface SqliteEngineOptions {
  path: string;
  /** How long a statement may wait for another process's lock, retried asynchronously. */
  busyBudgetMs: number;
  synchronous: 'FULL' | 'NORMAL';
  /** Told how many transactions shared each COMMIT. */
  onCommit?: (transactions: number) => void;
}

/** A transaction waiting to run, and how to settle its caller's promise. */
interface Member {
  scope: TransactionScope;
  work: (manager: EntityManager) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  result?: unknown;
  failure?: unknown;
}

/** At most this many transactions share one COMMIT. */
const MAX_GROUP = 64;
const MEMBER_SAVEPOINT = 'guildhall_member';
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
const FIRST_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 200;
/** Free space below which a full disk does not count as recovered. */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * How Guildhall talks to SQLite, so that a failure can never leave a transaction open and nothing
 * blocks the event loop for long.
 *
 * - Two connections to the file. TypeORM's own ("main") runs every statement outside a transaction;
 *   transactions run on a second one, one at a time, from `BEGIN IMMEDIATE` to `COMMIT`. Readers on
 *   the main connection see the last commit (WAL) and never wait for an open transaction.
 * - Group commit: the transactions asked for within one turn of the event loop run one after the
 *   other inside one SQLite transaction, each under its own savepoint, and share its COMMIT. One
 *   that fails is rolled back to its savepoint alone; all are acknowledged only once the COMMIT has
 *   succeeded, and all fail if it does not. While a table has a constraint checked at COMMIT
 *   (`INITIALLY DEFERRED`), one member could fail the COMMIT of the others, so they run one by one.
 * - Writes on the main connection and transactions share one queue: SQLite has one writer anyway,
 *   and waiting here is asynchronous where waiting on the lock would stop the process.
 * - A lock held by another process: better-sqlite3 waits synchronously, so its wait is kept to a few
 *   milliseconds and the statement is retried with backoff until the budget is spent (DatabaseBusy).
 * - After every transaction, whatever happened, the connection is checked to be out of it
 *   (`inTransaction`) and TypeORM's transaction flags are reset: a failed COMMIT (SQLITE_FULL) would
 *   otherwise leave TypeORM's shared runner inside a transaction that never commits.
 * - A statement issued on a transaction's manager once it has ended, or a write outside it from
 *   inside it, fails at once instead of joining it or waiting for it forever.
 */
export class SqliteEngine {
  private readonly logger = new Logger('Database');
  private readonly writes = new SerialQueue();
  private readonly writeListeners: (() => void)[] = [];
  private readonly main: RunnerInternals;
  private readonly tx: RunnerInternals;
  private readonly manager: EntityManager;
  private txConnection: SqliteConnection;
  private active: TransactionScope | undefined;
  /** The transactions of the group queued and not begun yet, which later ones join. */
  private forming: Member[] | undefined;
  private schema = { version: -1, deferred: true };
  /** `:memory:` cannot be opened twice: then one connection serves both, every statement queued. */
  private readonly shared: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: SqliteEngineOptions,
    private readonly scopes: AsyncLocalStorage<TransactionScope>,
    private readonly storage: StorageMonitor,
  ) {
    // better-sqlite3's driver hands every caller the same query runner, so wrapping it covers all.
    this.main = dataSource.driver.createQueryRunner('master') as RunnerInternals;
    this.shared = options.path === ':memory:';
    this.txConnection = this.shared ? this.mainConnection() : this.openConnection();
    const Runner = this.main.constructor as new (driver: unknown) => RunnerInternals;
    this.tx = new Runner(dataSource.driver);
    this.tx.connect = () => Promise.resolve(this.txConnection);
    this.manager = dataSource.createEntityManager(this.tx as unknown as QueryRunner);
    this.guardMain();
    this.guardTransactionRunner();
    storage.useRecovery(
      (condition) => this.recovered(condition),
      () => this.checkpoint(),
    );
  }

  /**
   * Runs `work` in a transaction, after those queued before it, and settles once it has committed.
   * Transactions asked for within one turn of the event loop (the requests read together) share a
   * transaction and its COMMIT, each under a savepoint of its own: one that fails undoes only its
   * own part, and none is acknowledged before the COMMIT. A COMMIT is what a synchronous=FULL
   * write waits for (the fsync), so under load this is most of a write's cost.
   */
  transaction<T>(
    scope: TransactionScope,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    scope.manager = this.manager;
    return new Promise<T>((resolve, reject) => {
      let group = this.forming;
      if (!group) {
        group = this.forming = [];
        this.queueGroup(group);
      }
      group.push({ scope, work, resolve, reject });
      if (group.length >= MAX_GROUP) this.forming = undefined;
    });
  }

  private queueGroup(group: Member[]): void {
    void this.writes.push(async () => {
      // The requests read in this turn of the event loop ask for theirs first.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.forming === group) this.forming = undefined;
      const oneByOne = this.deferredConstraints();
      let waiting = group;
      while (waiting.length > 0) {
        const batch = oneByOne ? waiting.slice(0, 1) : waiting;
        waiting = [...(await this.commitGroup(batch)), ...waiting.slice(batch.length)];
      }
    });
  }

  /** Runs `group` in one transaction; returns the members it could not run. */
  private async commitGroup(group: Member[]): Promise<Member[]> {
    const connection = this.txConnection;
    const done: Member[] = [];
    try {
      try {
        await this.retryWhileBusy(() => connection.exec('BEGIN IMMEDIATE'));
      } catch (error) {
        const failure = this.failure(error);
        for (const member of group) {
          member.scope.open = false;
          member.reject(failure);
        }
        return [];
      }
      this.tx.isTransactionActive = true;
      for (const [i, member] of group.entries()) {
        const outcome = await this.runMember(connection, member);
        if (outcome === 'done') done.push(member);
        if (outcome !== 'lost') continue;
        // SQLite gave up the whole transaction: what the others wrote is gone with it, and those
        // not run yet go into the next one.
        for (const other of done) other.reject(member.failure);
        return group.slice(i + 1);
      }
      if (done.length === 0) return [];
      await this.retryWhileBusy(() => connection.exec('COMMIT'));
      this.storage.writeSucceeded();
      this.options.onCommit?.(done.length);
      for (const member of done) member.resolve(member.result);
    } catch (error) {
      const failure = this.failure(error);
      for (const member of done) member.reject(failure);
    } finally {
      this.leaveTransaction();
      this.wrote();
    }
    return [];
  }

  /**
   * Runs one member of a group under its savepoint: `done` (its result kept on it), `undone` (it
   * failed, its part alone was rolled back and it is rejected) or `lost` (it failed and took the
   * transaction with it; it is rejected).
   */
  private async runMember(
    connection: SqliteConnection,
    member: Member,
  ): Promise<'done' | 'undone' | 'lost'> {
    this.tx.transactionDepth = 1;
    this.active = member.scope;
    try {
      connection.exec(`SAVEPOINT ${MEMBER_SAVEPOINT}`);
      member.result = await this.scopes.run(member.scope, () => member.work(this.manager));
      connection.exec(`RELEASE ${MEMBER_SAVEPOINT}`);
      return 'done';
    } catch (error) {
      member.failure = this.failure(error);
      member.reject(member.failure);
      if (!connection.inTransaction) return 'lost';
      try {
        connection.exec(`ROLLBACK TO ${MEMBER_SAVEPOINT}`);
        connection.exec(`RELEASE ${MEMBER_SAVEPOINT}`);
        return 'undone';
      } catch (undoError) {
        this.logger.error({ err: undoError }, 'ROLLBACK TO SAVEPOINT failed');
        return 'lost';
      }
    } finally {
      member.scope.open = false;
      this.active = undefined;
    }
  }

  /**
   * Whether a table has a constraint checked only at COMMIT: one member's violation would then fail
   * the COMMIT of all, so transactions run one by one. Read again when the schema changes.
   */
  private deferredConstraints(): boolean {
    try {
      const version = this.txConnection.pragma('schema_version', { simple: true }) as number;
      if (version !== this.schema.version) {
        const found = this.txConnection
          .prepare("SELECT 1 FROM sqlite_schema WHERE sql LIKE '%INITIALLY DEFERRED%' LIMIT 1")
          .get();
        this.schema = { version, deferred: found !== undefined };
      }
      return this.schema.deferred;
    } catch {
      return true;
    }
  }

  /**
   * A synchronous read outside any transaction (HotSql), with the lock and storage handling: on the
   * transaction connection while no transaction is open on it, else on the main one. Both see the
   * last commit; the transaction connection's page cache holds what this process wrote last,
   * where every commit on it empties the main connection's (a read there after a write costs about
   * three times as much).
   */
  read<T>(run: (connection: SqliteReader) => T): Promise<T> {
    // Chosen again at every attempt: a retry after SQLITE_BUSY may find a transaction open.
    const read = () =>
      this.guarded(() => Promise.resolve(run(this.readConnection())), false) as Promise<T>;
    // One connection for everything: wait for the running transaction, as every statement does.
    return this.shared ? this.writes.push(read) : read();
  }

  private readConnection(): SqliteReader {
    return this.shared || this.txConnection.inTransaction
      ? this.mainConnection()
      : this.txConnection;
  }

  /** Folds the WAL back into the database file and truncates it (after storage came back). */
  async checkpoint(): Promise<void> {
    await this.writes.push(() =>
      this.retryWhileBusy(() => this.mainConnection().pragma('wal_checkpoint(TRUNCATE)')),
    );
  }

  /** Whether storage works again: the WAL folds back and, after a full disk, there is room. */
  private async recovered(condition: StorageCondition): Promise<boolean> {
    await this.checkpoint();
    if (condition !== 'full' || this.shared) return true;
    const stats = await statfs(dirname(this.options.path));
    return stats.bavail * stats.bsize >= MIN_FREE_BYTES;
  }

  /** Closes the transaction connection (the main one is TypeORM's to close). */
  close(): void {
    if (!this.shared && this.txConnection.open) this.txConnection.close();
  }

  private guardMain(): void {
    const query = this.main.query.bind(this.main);
    this.main.query = async (sql, parameters, structured) => {
      if (TRANSACTION_CONTROL.test(sql)) {
        throw new Error(
          'Transactions on SQLite run through TransactionRunner.run(), not on the shared connection',
        );
      }
      if (!this.shared && (await this.isReadOnly(sql))) {
        return this.guarded(() => query(sql, parameters, structured), false);
      }
      if (this.scopes.getStore()?.open) {
        throw new Error(
          'A write outside the open transaction would wait for it forever: use the EntityManager that run() passes',
        );
      }
      // Transactions asked for after this write run after it.
      this.forming = undefined;
      return this.writes.push(() => this.guarded(() => query(sql, parameters, structured), true));
    };
  }

  private guardTransactionRunner(): void {
    const query = this.tx.query.bind(this.tx);
    this.tx.query = (sql, parameters, structured) => {
      if (this.active === undefined || this.scopes.getStore() !== this.active) {
        return Promise.reject(
          new Error('This statement belongs to a transaction that has already ended'),
        );
      }
      return query(sql, parameters, structured);
    };
  }

  private async isReadOnly(sql: string): Promise<boolean> {
    try {
      return (await this.main.getStmt(sql)).readonly;
    } catch {
      return false; // Let the query itself report the error, wrapped as TypeORM does.
    }
  }

  private async guarded(run: () => Promise<unknown>, write: boolean): Promise<unknown> {
    try {
      const result = await this.retryWhileBusy(run);
      if (write) this.storage.writeSucceeded();
      return result;
    } catch (error) {
      throw this.failure(error);
    } finally {
      if (write && this.mainConnection().inTransaction) this.rollback(this.mainConnection());
      if (write) this.wrote();
    }
  }

  /** Calls `listener` after every write of this process: a transaction or a shared-connection write. */
  onWrite(listener: () => void): void {
    this.writeListeners.push(listener);
  }

  private wrote(): void {
    for (const listener of this.writeListeners) listener();
  }

  /** Retries an operation refused with SQLITE_BUSY, with backoff, until the budget is spent. */
  private async retryWhileBusy<T>(run: () => T | Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.busyBudgetMs;
    for (let delay = FIRST_BACKOFF_MS; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
      try {
        return await run();
      } catch (error) {
        if (!isBusy(error)) throw error;
        const wait = delay / 2 + Math.random() * (delay / 2);
        if (Date.now() + wait > deadline) {
          this.logger.warn(
            { budget_ms: this.options.busyBudgetMs },
            'The database stayed locked by another process for longer than SQLITE_BUSY_TIMEOUT_MS',
          );
          throw new DatabaseBusy();
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Notes a storage failure and turns it into its coded error; other errors pass unchanged. */
  private failure(error: unknown): unknown {
    const condition = storageConditionOf(error);
    if (condition) this.storage.failed(condition, error);
    return storageFailureOf(error) ?? error;
  }

  /** After a transaction, whatever happened: out of it on the connection and in TypeORM's flags. */
  private leaveTransaction(): void {
    this.tx.isTransactionActive = false;
    this.tx.transactionDepth = 0;
    if (!this.txConnection.inTransaction) return;
    this.rollback(this.txConnection);
    if (!this.txConnection.inTransaction) return;
    this.logger.error('The transaction connection stayed inside a transaction; reopening it');
    if (this.shared) return;
    try {
      this.txConnection.close();
    } catch (error) {
      this.logger.error({ err: error }, 'Closing the stuck transaction connection failed');
    }
    this.txConnection = this.openConnection();
    this.tx.stmtCache.clear(); // Its statements were prepared on the closed connection.
  }

  private rollback(connection: SqliteConnection): void {
    try {
      connection.exec('ROLLBACK');
    } catch (error) {
      // SQLite may have rolled back by itself (SQLITE_FULL, I/O errors); then there is nothing to undo.
      if (connection.inTransaction) this.logger.error({ err: error }, 'ROLLBACK failed');
    }
  }

  private mainConnection(): SqliteConnection {
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection })
      .databaseConnection;
  }

  private openConnection(): SqliteConnection {
    const Database = (this.dataSource.driver as unknown as { sqlite: SqliteConstructor }).sqlite;
    const connection = new Database(this.options.path, { timeout: SQLITE_SYNC_BUSY_WAIT_MS });
    connection.pragma('foreign_keys = ON');
    connection.pragma(`synchronous = ${this.options.synchronous}`);
    return connection;
  }
}

function isBusy(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code);
}
