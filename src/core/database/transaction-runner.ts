import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SerialQueue } from './serial-queue';

/**
 * Runs a unit of work in a database transaction.
 *
 * On SQLite, TypeORM shares one connection between all callers, so two overlapping
 * `dataSource.transaction()` calls interleave ("cannot start a transaction within a transaction") and
 * may commit half of one. Transactions are therefore queued and run one at a time; keep them short.
 * PostgreSQL gives each transaction its own pooled connection, so they run concurrently there.
 */
@Injectable()
export class TransactionRunner {
  private readonly queue: SerialQueue | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = dataSource.options.type === 'better-sqlite3' ? new SerialQueue() : undefined;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.queue) return this.dataSource.transaction(work);
    return this.queue.push(() => this.dataSource.transaction(work));
  }
}
