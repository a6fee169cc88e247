import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { SerialQueue } from './serial-queue';

/**
 * Runs a unit of work in a database transaction.
 *
 * On SQLite, TypeORM shares one connection between all callers. Two overlapping
 * `dataSource.transaction()` calls would interleave ("cannot start a transaction within a
 * transaction") and may commit half of one, and any other statement issued while a transaction is
 * open would silently become part of it (and vanish if it rolls back). So on SQLite, transactions are
 * queued and run one at a time, and every statement from outside the running transaction waits for
 * it to end (see SqliteGate). Keep transactions short.
 * PostgreSQL gives each transaction its own pooled connection, so they run concurrently there.
 */
@Injectable()
export class TransactionRunner {
  private readonly gate: SqliteGate | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.gate =
      dataSource.options.type === 'better-sqlite3' ? new SqliteGate(dataSource) : undefined;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.gate) return this.dataSource.transaction(work);
    return this.gate.exclusive(() => this.dataSource.transaction(work));
  }
}

/**
 * Keeps SQLite statements from outside a transaction out of it: while a transaction runs, they wait;
 * a transaction starts only once the statements already under way have finished.
 */
class SqliteGate {
  private readonly queue = new SerialQueue();
  private readonly owner = new AsyncLocalStorage<symbol>();
  private current: { token: symbol; ended: Promise<void> } | undefined;
  private inflight = 0;
  private drained: (() => void) | undefined;

  constructor(dataSource: DataSource) {
    // better-sqlite3's driver hands every caller the same query runner, so guarding it guards all.
    const runner: QueryRunner = dataSource.driver.createQueryRunner('master');
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    (runner as { query: (...args: unknown[]) => Promise<unknown> }).query = async (
      ...args: unknown[]
    ) => {
      while (this.current && this.owner.getStore() !== this.current.token) await this.current.ended;
      if (this.current) return query(...args);
      this.inflight += 1;
      try {
        return await query(...args);
      } finally {
        this.inflight -= 1;
        if (this.inflight === 0) this.drained?.();
      }
    };
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.push(async () => {
      const token = Symbol('transaction');
      let end!: () => void;
      this.current = { token, ended: new Promise<void>((resolve) => (end = resolve)) };
      try {
        if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
        this.drained = undefined;
        return await this.owner.run(token, work);
      } finally {
        this.current = undefined;
        end();
      }
    });
  }
}
