import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../env';
import { REDIS } from '../redis';
import {
  type LeaseBackend,
  type LeaseObservation,
  LocalLease,
  PostgresLease,
  RedisLease,
} from './lease-backends';

type Listener = () => void | Promise<void>;

/**
 * Who does the singleton work of a deployment (the Discord gateway and the scheduled jobs): exactly
 * one instance at a time, the holder of a lease. With Redis the lease is a key with a time to live
 * (LEASE_TTL_MS) that its owner renews three times per period; without Redis on PostgreSQL, an
 * advisory lock held by a connection of its own; on SQLite, one instance is always the owner (of
 * the jobs; its bot still logs in only with DISCORD_GATEWAY on). With Redis or PostgreSQL an
 * instance started with DISCORD_GATEWAY=false never takes the lease.
 *
 * When the owner dies its lease expires and another instance takes it within LEASE_TTL_MS and one
 * attempt period. A key that vanished before its time (a Redis restart) is left one period to its
 * last owner, which takes it back, so a restart of Redis does not move the gateway.
 */
@Injectable()
export class SingletonLease implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SingletonLease');
  private readonly backend: LeaseBackend;
  private readonly everyMs: number;
  private timer: NodeJS.Timeout | undefined;
  private attempting: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private holding = false;
  private lastHeldAt = 0;
  private observed: LeaseObservation | undefined;
  /** The key was absent on the last attempt too, or last seen about to expire. */
  private freeForAPeriod = false;
  private readonly acquired: Listener[] = [];
  private readonly lost: Listener[] = [];

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
  ) {
    const { instanceId, leaseTtlMs } = config.cluster;
    const { target } = config.database;
    this.everyMs = Math.max(100, Math.floor(leaseTtlMs / 3));
    if (redis) this.backend = new RedisLease(redis, instanceId, leaseTtlMs);
    else if (target.kind === 'postgres')
      this.backend = new PostgresLease(
        target.url,
        `${config.redis.keyPrefix}${config.database.schema ?? ''}`,
        instanceId,
      );
    else this.backend = new LocalLease(instanceId);
  }

  get instanceId(): string {
    return this.config.cluster.instanceId;
  }

  /** Whether this instance does the singleton work now. */
  get held(): boolean {
    return this.holding;
  }

  /** The owner as last seen (every LEASE_TTL_MS / 3): this instance's id, another's, or null. */
  get owner(): string | null {
    return this.observed?.owner ?? null;
  }

  get kind(): LeaseBackend['kind'] {
    return this.backend.kind;
  }

  /** Runs `listener` whenever this instance becomes the owner (at once if it is). */
  onAcquired(listener: Listener): void {
    this.acquired.push(listener);
    if (this.holding) this.notify([listener], 'acquired');
  }

  /** Runs `listener` when this instance stops being the owner while running. */
  onLost(listener: Listener): void {
    this.lost.push(listener);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  /**
   * The first attempt and the renewals after it; once, whoever calls first (a module that must know
   * at bootstrap whether it is the owner awaits it).
   */
  start(): Promise<void> {
    this.started ??= this.begin();
    return this.started;
  }

  private async begin(): Promise<void> {
    // One instance on SQLite does its own jobs; only a shared lease can be declined.
    if (!this.config.cluster.competes && this.backend.kind !== 'local') {
      this.logger.log(`Instance ${this.instanceId} does no singleton work (DISCORD_GATEWAY=false)`);
      return;
    }
    // An instance that starts when nobody holds the lease takes it at once.
    this.freeForAPeriod = true;
    await this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.attempting;
    if (this.holding) {
      this.holding = false;
      // Handing it on at once: another instance need not wait for the lease to expire.
      await this.backend
        .release()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'Could not release the lease; it expires by itself'),
        );
    }
    await this.backend.close();
  }

  /** One attempt to keep or take the lease; public for tests that do not wait for the timer. */
  attempt(): Promise<void> {
    this.attempting ??= this.attemptOnce().finally(() => {
      this.attempting = undefined;
    });
    return this.attempting;
  }

  private async attemptOnce(): Promise<void> {
    let seen: LeaseObservation;
    try {
      seen = await this.backend.attempt(this.holding || this.freeForAPeriod);
    } catch (error) {
      this.freeForAPeriod = false;
      if (this.holding && Date.now() - this.lastHeldAt > this.config.cluster.leaseTtlMs) {
        // The lease has expired where it is kept: another instance may hold it by now.
        this.logger.error({ err: error }, 'Could not renew the lease in time; giving it up');
        this.change(false);
      } else this.logger.warn({ err: error }, 'Could not reach the lease; trying again');
      return;
    }
    this.observed = seen;
    this.freeForAPeriod =
      seen.owner === null || (seen.remainingMs !== undefined && seen.remainingMs <= this.everyMs);
    if (seen.held) this.lastHeldAt = Date.now();
    if (seen.held !== this.holding) this.change(seen.held);
  }

  private change(held: boolean): void {
    this.holding = held;
    if (held) {
      this.logger.log(`Instance ${this.instanceId} now does the singleton work`);
      this.notify(this.acquired, 'acquired');
    } else {
      this.logger.warn(
        `Instance ${this.instanceId} no longer does the singleton work (owner: ${this.owner ?? 'none'})`,
      );
      this.notify(this.lost, 'lost');
    }
  }

  private notify(listeners: Listener[], what: string): void {
    for (const listener of listeners) {
      void Promise.resolve()
        .then(listener)
        .catch((error: unknown) =>
          this.logger.error({ err: error }, `A listener failed when the lease was ${what}`),
        );
    }
  }
}
