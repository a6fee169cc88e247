import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation, TransactionRunner } from '../database';
import { DomainError } from '../errors';
import { IdempotencyRecord } from './idempotency-record.entity';

export interface IdempotentResult<T> {
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * `Idempotency-Key` support: the first request with a key runs, and its response is stored in the
 * same transaction as its changes; a retry with the same key gets that response back instead of
 * running again. The same key with another body, or while the first is still running, is refused.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly transactions: TransactionRunner,
    @InjectRepository(IdempotencyRecord) private readonly records: Repository<IdempotencyRecord>,
  ) {}

  async run<T>(
    scope: string,
    key: string | undefined,
    request: unknown,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<IdempotentResult<T>> {
    if (key === undefined) return { body: await this.transactions.run(work), replayed: false };
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_INVALID',
        400,
        'Idempotency-Key must be 1 to 200 visible ASCII characters',
      );
    }
    const id = `${scope}:${key}`;
    const requestHash = createHash('sha256')
      .update(JSON.stringify(request ?? null))
      .digest('hex');
    try {
      await this.transactions.run((m) =>
        m.insert(IdempotencyRecord, { key: id, requestHash, statusCode: null, responseBody: null }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { body: await this.replay<T>(id, requestHash), replayed: true };
    }
    try {
      const body = await this.transactions.run(async (manager) => {
        const result = await work(manager);
        await manager.update(IdempotencyRecord, id, {
          statusCode: 200,
          responseBody: JSON.stringify(result),
        });
        return result;
      });
      return { body, replayed: false };
    } catch (error) {
      // Nothing was stored, so a retry with the same key may run again.
      await this.transactions.run((m) => m.delete(IdempotencyRecord, id));
      throw error;
    }
  }

  private async replay<T>(id: string, requestHash: string): Promise<T> {
    const record = await this.records.findOneByOrFail({ key: id });
    if (record.requestHash !== requestHash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        422,
        'This Idempotency-Key was used with a different request',
      );
    }
    if (record.statusCode === null || record.responseBody === null) {
      throw new DomainError(
        'IDEMPOTENCY_IN_PROGRESS',
        409,
        'A request with this Idempotency-Key is still running',
      );
    }
    return JSON.parse(record.responseBody) as T;
  }
}
