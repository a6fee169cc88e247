import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../env';
import { Metrics } from '../metrics';
import { storageConditionOf, storageFailureOf } from '../errors/storage-errors';
import { SqliteEngine, type SqliteReader } from './sqlite-engine';
import { StorageMonitor } from './storage-monitor';
import type { TransactionScope } from './transaction-scope';

type Work<T> = (manager: EntityManager) => Promise<T>;

/**
 * Runs a unit of work in a database transaction: all of it commits or none of it does, and the
 * promise settles only after COMMIT has succeeded.
 *
 * - A `run()` inside a running transaction joins it, under a savepoint: its failure undoes only its
 *   own part, and it commits with the outer one.
 * - Side effects wait for the commit: `afterCommit(fn)` runs `fn` once the transaction has committed
 *   (never when it rolls back), outside it.
 * - Only statements issued through the manager passed to `work` belong to the transaction; on
 *   SQLite see SqliteEngine for what happens to the others. On PostgreSQL each transaction has its
 *   own pooled connection, so transactions run concurrently: use conditional UPDATEs or row locks
 *   where concurrent writers meet.
 */
@Injectable()
export class TransactionRunner implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly scopes = new AsyncLocalStorage<TransactionScope>();
  private readonly sqlite: SqliteEngine | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
    private readonly storage: StorageMonitor,
    private readonly metrics: Metrics,
  ) {
    const { target } = config.database;
    this.sqlite =
      target.kind === 'sqlite'
        ? new SqliteEngine(
            dataSource,
            {
              path: target.path,
              busyBudgetMs: config.database.busyTimeoutMs,
              synchronous: config.database.sqliteSynchronous,
              onCommit: (transactions) => metrics.databaseCommitGroups.observe(transactions),
            },
            this.scopes,
            storage,
          )
        : undefined;
    // PostgreSQL: a connection that answers again ends "unavailable"; "full" ends with a write.
    if (!this.sqlite) {
      storage.useRecovery(async (condition) => {
        await dataSource.query('SELECT 1');
        return condition === 'unavailable';
      });
    }
  }

  async run<T>(work: Work<T>): Promise<T> {
    const current = this.scopes.getStore();
    if (current?.open) return current.manager.transaction(work);
    const scope: TransactionScope = {
      manager: this.dataSource.manager,
      open: true,
      afterCommit: [],
    };
    const timer = this.metrics.databaseTransactions.startTimer();
    let result: T;
    try {
      result = this.sqlite
        ? await this.sqlite.transaction(scope, work)
        : await this.postgres(scope, work);
    } catch (error) {
      timer({ outcome: 'rollback' });
      throw error;
    }
    timer({ outcome: 'commit' });
    for (const effect of scope.afterCommit) this.scopes.exit(() => this.runEffect(effect));
    return result;
  }

  /**
   * Runs `effect` once the transaction the caller is in has committed, outside of it; at once when
   * the caller is in none. Dropped when the transaction rolls back.
   */
  afterCommit(effect: () => void): void {
    const current = this.scopes.getStore();
    if (current?.open) current.afterCommit.push(effect);
    else this.scopes.exit(() => this.runEffect(effect));
  }

  /**
   * On SQLite, calls `listener` once each write of this process has ended (committed, rolled back
   * or failed): every transaction, and every write on the shared connection. Never on PostgreSQL.
   */
  onSqliteWrite(listener: () => void): void {
    this.sqlite?.onWrite(listener);
  }

  /** Runs a synchronous SQLite read with the lock and storage handling of every statement. */
  read<T>(run: (connection: SqliteReader) => T): Promise<T> {
    if (!this.sqlite) return Promise.reject(new Error('read() runs SQLite reads only'));
    return this.sqlite.read(run);
  }

  onApplicationShutdown(): void {
    this.sqlite?.close();
  }

  private async postgres<T>(scope: TransactionScope, work: Work<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    scope.manager = runner.manager;
    try {
      await runner.connect();
      await runner.startTransaction();
      const result = await this.scopes.run(scope, () => work(runner.manager));
      await runner.commitTransaction();
      this.storage.writeSucceeded();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch((rollbackError: unknown) => {
          this.logger.error({ err: rollbackError }, 'ROLLBACK failed');
        });
      }
      const condition = storageConditionOf(error);
      if (condition) this.storage.failed(condition, error);
      throw storageFailureOf(error) ?? error;
    } finally {
      scope.open = false;
      await runner.release();
    }
  }

  private runEffect(effect: () => void): void {
    try {
      effect();
    } catch (error) {
      this.logger.error({ err: error }, 'A side effect after commit failed');
    }
  }
}
