import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Brackets,
  type EntityManager,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  Repository,
} from 'typeorm';
import { Rows, TransactionRunner } from '../database';
import { AppConfig } from '../env';
import { DomainError } from '../errors';
import { SingletonLease } from '../lease';
import { OutboxMessage, type OutboxStatus } from './outbox-message.entity';
import { Metrics } from '../metrics';

export type OutboxHandler = (
  payload: Record<string, unknown>,
  message: OutboxMessage,
) => Promise<void>;

const BATCH = 20;
const MAX_BACKOFF_MS = 5 * 60_000;
/** How often delivered and given-up messages past OUTBOX_RETENTION_DAYS are deleted. */
const PURGE_EVERY_MS = 60 * 60_000;

export interface OutboxFilter {
  status?: OutboxStatus;
  kind?: string;
  limit: number;
  offset: number;
}

/**
 * Delivers side effects after the transaction that caused them has committed: enqueue inside the
 * transaction, and the worker sends, retrying with backoff until OUTBOX_MAX_ATTEMPTS.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly handlers = new Map<string, OutboxHandler>();
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Deliveries under way, from rounds and from deliveries right after a commit alike. */
  private readonly inFlight = new Set<Promise<boolean>>();

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly lease: SingletonLease,
    private readonly metrics: Metrics,
  ) {
    metrics.onScrape(() => this.measureBacklog());
  }

  /** The backlog gauges: waiting and given-up messages by kind, and the oldest one waiting. */
  private async measureBacklog(): Promise<void> {
    const rows = await this.messages
      .createQueryBuilder('m')
      .select('m.status', 'status')
      .addSelect('m.kind', 'kind')
      .addSelect('COUNT(*)', 'count')
      .addSelect('MIN(m.created_at)', 'oldest')
      .where({ status: In(['pending', 'failed']) })
      .groupBy('m.status')
      .addGroupBy('m.kind')
      .getRawMany<{
        status: string;
        kind: string;
        count: string | number;
        oldest: string | Date;
      }>();
    this.metrics.outboxMessages.reset();
    let oldest = Infinity;
    for (const row of rows) {
      this.metrics.outboxMessages.set({ status: row.status, kind: row.kind }, Rows.int(row.count));
      if (row.status === 'pending') oldest = Math.min(oldest, Rows.date(row.oldest).getTime());
    }
    this.metrics.outboxOldestPending.set(
      oldest === Infinity ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
    );
  }

  register(kind: string, handler: OutboxHandler): void {
    this.handlers.set(kind, handler);
  }

  /**
   * Adds a message inside the caller's transaction: it exists only if the change commits. `holdMs`
   * keeps the worker off it for a while, for a caller that delivers it itself with `deliverNow`.
   */
  async enqueue(
    manager: EntityManager,
    kind: string,
    payload: Record<string, unknown>,
    options: { holdMs?: number } = {},
  ): Promise<string> {
    const id = randomUUID();
    const holdMs = options.holdMs ?? 0;
    await manager.insert(OutboxMessage, {
      id,
      kind,
      payload: payload as OutboxMessage['payload'] & object,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(Date.now() + holdMs),
      lockedUntil: null,
      lastError: null,
      sentAt: null,
    });
    // The worker must not look for the message before it is committed.
    if (holdMs === 0) this.transactions.afterCommit(() => this.kick());
    return id;
  }

  onApplicationBootstrap(): void {
    if (this.config.outbox.pollMs <= 0) return;
    // Re-delivery of what is due is singleton work; a commit still delivers its own messages at once.
    this.timer = setInterval(() => {
      if (this.lease.held) this.kick();
    }, this.config.outbox.pollMs);
    this.timer.unref();
    this.purgeTimer = setInterval(() => {
      if (!this.lease.held) return;
      this.purge().catch((error: unknown) =>
        this.logger.error({ err: error }, 'Could not delete old outbox messages'),
      );
    }, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  /** Before the database closes: no new rounds, and the delivery in flight finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.purgeTimer);
    this.timer = undefined;
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Starts a delivery round unless one is running. */
  kick(): void {
    if (this.running || this.timer === undefined) return;
    this.running = this.deliverDue()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Outbox round failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** One round: delivers every due message it can claim. Returns how many it handled. */
  async deliverDue(): Promise<number> {
    const now = new Date();
    const due = await this.messages
      .createQueryBuilder('m')
      .where({ status: 'pending', nextAttemptAt: LessThanOrEqual(now) })
      .andWhere(
        new Brackets((qb) =>
          qb.where({ lockedUntil: IsNull() }).orWhere({ lockedUntil: LessThanOrEqual(now) }),
        ),
      )
      .orderBy('m.created_at', 'ASC')
      .limit(BATCH)
      .getMany();
    let handled = 0;
    for (const message of due) {
      if (!(await this.claim(message))) continue;
      handled += 1;
      await this.deliver(message);
    }
    return handled;
  }

  /**
   * Delivers one message now, unless a worker holds it or it is no longer pending; the caller wants
   * its effect at once (a reply that names the created channel). False when it was not delivered now:
   * the worker retries it as usual.
   */
  async deliverNow(id: string): Promise<boolean> {
    const message = await this.messages.findOneBy({ id, status: 'pending' });
    if (!message || !(await this.claim(message))) return false;
    return this.deliver(message);
  }

  /**
   * Runs rounds until nothing is due and nothing is being delivered, also by another caller: when
   * it returns, every message that was due has its outcome stored (tests and shutdown use it).
   */
  async drain(): Promise<void> {
    for (;;) {
      await Promise.allSettled([...this.inFlight]);
      if ((await this.deliverDue()) === 0 && this.inFlight.size === 0) return;
    }
  }

  /** Messages for an operator, newest first. */
  async list(filter: OutboxFilter): Promise<{ messages: OutboxMessage[]; total: number }> {
    const where = {
      ...(filter.status && { status: filter.status }),
      ...(filter.kind && { kind: filter.kind }),
    };
    const [messages, total] = await this.messages.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { messages, total };
  }

  /**
   * Delivers a message again from its first attempt: one that gave up, or one waiting for its next
   * retry. It keeps its id, so a Discord post keeps its nonce. Refused for a delivered message and
   * for one an instance is delivering now.
   */
  async retry(id: string): Promise<OutboxMessage> {
    const now = new Date();
    const redriven = await this.transactions.run(async (manager) => {
      const message = await manager.findOneBy(OutboxMessage, { id });
      if (!message)
        throw new DomainError('OUTBOX_MESSAGE_NOT_FOUND', 404, 'No outbox message with this id');
      if (message.status === 'sent')
        throw new DomainError('OUTBOX_MESSAGE_SENT', 409, 'The message was delivered already');
      const result = await manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null })
        .where({ id, status: In(['pending', 'failed']) })
        .andWhere(
          new Brackets((qb) =>
            qb.where({ lockedUntil: IsNull() }).orWhere({ lockedUntil: LessThanOrEqual(now) }),
          ),
        )
        .execute();
      if ((result.affected ?? 0) !== 1)
        throw new DomainError(
          'OUTBOX_MESSAGE_IN_DELIVERY',
          409,
          'An instance is delivering the message now; try again in a moment',
        );
      return Object.assign(message, {
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        lockedUntil: null,
      });
    });
    this.logger.log({ outboxId: id, kind: redriven.kind }, 'Outbox message queued again');
    this.kick();
    return redriven;
  }

  /** Queues every message that gave up (of one kind) again; returns how many. */
  async retryFailed(kind?: string): Promise<number> {
    const result = await this.transactions.run((manager) =>
      manager.update(
        OutboxMessage,
        { status: 'failed', ...(kind && { kind }) },
        { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null },
      ),
    );
    const count = result.affected ?? 0;
    if (count > 0) {
      this.logger.log({ count, kind: kind ?? null }, 'Failed outbox messages queued again');
      this.kick();
    }
    return count;
  }

  /** Deletes delivered and given-up messages older than OUTBOX_RETENTION_DAYS; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.outbox.retentionDays * 86_400_000);
    const result = await this.transactions.run((manager) =>
      manager.delete(OutboxMessage, {
        status: In(['sent', 'failed']),
        createdAt: LessThan(cutoff),
      }),
    );
    const count = result.affected ?? 0;
    if (count > 0) this.logger.log({ count }, 'Deleted old outbox messages');
    return count;
  }

  private async claim(message: OutboxMessage): Promise<boolean> {
    const now = new Date();
    const result = await this.transactions.run((manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ lockedUntil: new Date(now.getTime() + this.config.outbox.lockMs) })
        .where({ id: message.id, status: 'pending', attempts: message.attempts })
        // Another worker (another instance) may have claimed it since it was selected.
        .andWhere(
          new Brackets((qb) =>
            qb.where({ lockedUntil: IsNull() }).orWhere({ lockedUntil: LessThanOrEqual(now) }),
          ),
        )
        .execute(),
    );
    return (result.affected ?? 0) === 1;
  }

  private deliver(message: OutboxMessage): Promise<boolean> {
    const delivery = this.deliverOnce(message);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery)).catch(() => undefined);
    return delivery;
  }

  private async deliverOnce(message: OutboxMessage): Promise<boolean> {
    const handler = this.handlers.get(message.kind);
    try {
      if (!handler) throw new Error(`No handler for outbox messages of kind ${message.kind}`);
      await handler(message.payload, message);
      this.metrics.outboxAttempts.inc({ kind: message.kind, outcome: 'sent' });
      await this.transactions.run((manager) =>
        manager.update(OutboxMessage, message.id, {
          status: 'sent',
          sentAt: new Date(),
          lockedUntil: null,
          lastError: null,
        }),
      );
      return true;
    } catch (error) {
      const attempts = message.attempts + 1;
      const failed = attempts >= this.config.outbox.maxAttempts;
      const reason = error instanceof Error ? error.message : String(error);
      const backoff = Math.min(
        MAX_BACKOFF_MS,
        this.config.outbox.retryBaseMs * 2 ** (attempts - 1),
      );
      await this.transactions.run((manager) =>
        manager.update(OutboxMessage, message.id, {
          attempts,
          status: failed ? 'failed' : 'pending',
          nextAttemptAt: new Date(Date.now() + backoff),
          lockedUntil: null,
          lastError: reason.slice(0, 500),
        }),
      );
      this.metrics.outboxAttempts.inc({ kind: message.kind, outcome: failed ? 'failed' : 'retry' });
      const line = { outboxId: message.id, kind: message.kind, attempts, reason };
      if (failed) this.logger.error(line, 'Outbox message gave up after its last attempt');
      else this.logger.warn(line, 'Outbox delivery failed; will retry');
      return false;
    }
  }
}
