import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../core/redis';

/** How long an instance's entry counts without being renewed (a dead instance's entries lapse). */
const ENTRY_TTL_MS = 60_000;
const RENEW_MS = 20_000;

/**
 * Who is looking at each ticket in a socket room right now (actor ids), so pushes skip them. Kept
 * per instance in memory; with Redis also in one sorted set per ticket whose members are
 * `<instance>|<actor>` scored by when they lapse, renewed while the socket stays, so every
 * instance sees the viewers of all of them, and those of an instance that died drop out by
 * themselves.
 */
@Injectable()
export class TicketViewers implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TicketViewers');
  private readonly local = new Map<string, Map<string, number>>();
  private readonly instance = randomUUID();
  private timer?: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  onModuleInit(): void {
    if (!this.redis) return;
    this.timer = setInterval(() => void this.renew(), RENEW_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const redis = this.redis;
    if (!redis) return;
    const removals = [...this.local.entries()].flatMap(([ticketId, counts]) =>
      [...counts.keys()].map((viewer) => redis.zrem(key(ticketId), this.member(viewer))),
    );
    await Promise.allSettled(removals);
  }

  add(ticketId: string, viewer: string): void {
    const counts = this.local.get(ticketId) ?? new Map<string, number>();
    const before = counts.get(viewer) ?? 0;
    counts.set(viewer, before + 1);
    this.local.set(ticketId, counts);
    if (before === 0) this.share(ticketId, [viewer]);
  }

  remove(ticketId: string, viewer: string): void {
    const counts = this.local.get(ticketId);
    if (!counts) return;
    const left = (counts.get(viewer) ?? 1) - 1;
    if (left > 0) {
      counts.set(viewer, left);
      return;
    }
    counts.delete(viewer);
    if (counts.size === 0) this.local.delete(ticketId);
    this.redis
      ?.zrem(key(ticketId), this.member(viewer))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not drop a viewer'));
  }

  /** This instance's viewers of a ticket. */
  localViewers(ticketId: string): string[] {
    return [...(this.local.get(ticketId)?.keys() ?? [])];
  }

  /** Every instance's viewers of a ticket; this instance's alone when Redis does not answer. */
  async of(ticketId: string): Promise<string[]> {
    const here = this.localViewers(ticketId);
    if (!this.redis) return here;
    try {
      const members = await this.redis.zrangebyscore(key(ticketId), Date.now(), '+inf');
      const everywhere = members.map((member) => member.slice(member.indexOf('|') + 1));
      return [...new Set([...here, ...everywhere])];
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not read the shared viewers; using this instance');
      return here;
    }
  }

  private member(viewer: string): string {
    return `${this.instance}|${viewer}`;
  }

  private share(ticketId: string, viewers: string[]): void {
    if (!this.redis || viewers.length === 0) return;
    const until = Date.now() + ENTRY_TTL_MS;
    const args = viewers.flatMap((viewer) => [until, this.member(viewer)]);
    this.redis
      .multi()
      .zadd(key(ticketId), ...args)
      .zremrangebyscore(key(ticketId), '-inf', Date.now())
      .pexpire(key(ticketId), ENTRY_TTL_MS * 2)
      .exec()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not share a viewer'));
  }

  private renew(): void {
    for (const [ticketId, counts] of this.local) this.share(ticketId, [...counts.keys()]);
  }
}

function key(ticketId: string): string {
  return `ticket-viewers:${ticketId}`;
}
