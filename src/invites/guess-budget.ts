import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { LRUCache } from 'lru-cache';
import { growingLru } from '../core/cache';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import { REDIS } from '../core/redis';

/** Who tries a code: each one has its own budget of unknown codes. */
export interface Guesser {
  apiKeyId?: string;
  discordUserId?: string;
  address?: string;
}

export const TooManyUnknownCodes = (retryAfterSeconds: number) => {
  const error = new DomainError(
    'TOO_MANY_FAILED_REDEMPTIONS',
    429,
    'Too many unknown invite codes; try again later',
  );
  error.retryAfterSeconds = retryAfterSeconds;
  return error;
};

/**
 * Throttles guessing invite codes: every unknown code counts against the API key, the Discord member
 * and the address that tried it; once one of them has INVITES_FAILED_REDEEM_LIMIT within the window,
 * its redemptions answer 429 with Retry-After until the window ends. Codes that exist cost nothing.
 * The counts live in Redis when it is configured (shared by every instance), else in memory.
 */
@Injectable()
export class GuessBudget {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly memory: LRUCache<string, { count: number; resetAt: number }>;

  constructor(
    config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    this.limit = config.invites.failedRedeem.limit;
    this.windowMs = config.invites.failedRedeem.windowSeconds * 1000;
    this.memory = growingLru(100_000);
  }

  /** Runs `redeem` unless a budget of `who` is spent; an unknown code spends one of each. */
  async guard<T>(who: Guesser, redeem: () => Promise<T>): Promise<T> {
    const keys = keysOf(who);
    const waitMs = await this.spentFor(keys);
    if (waitMs > 0) throw TooManyUnknownCodes(Math.max(1, Math.ceil(waitMs / 1000)));
    try {
      return await redeem();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVITE_NOT_FOUND') await this.spend(keys);
      throw error;
    }
  }

  /** How long until every spent budget among `keys` is back, in ms (0: none is spent). */
  private async spentFor(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    if (!this.redis) {
      const now = Date.now();
      return Math.max(
        0,
        ...keys.map((key) => {
          const entry = this.memory.get(key);
          return entry && entry.resetAt > now && entry.count >= this.limit
            ? entry.resetAt - now
            : 0;
        }),
      );
    }
    const counts = await this.redis.mget(...keys);
    const spent = keys.filter((_, i) => Number(counts[i] ?? 0) >= this.limit);
    if (spent.length === 0) return 0;
    const ttls = await Promise.all(spent.map((key) => this.redis!.pttl(key)));
    return Math.max(1, ...ttls);
  }

  private async spend(keys: string[]): Promise<void> {
    if (!this.redis) {
      const now = Date.now();
      for (const key of keys) {
        const entry = this.memory.get(key);
        if (entry && entry.resetAt > now) entry.count += 1;
        else this.memory.set(key, { count: 1, resetAt: now + this.windowMs });
      }
      return;
    }
    // The window starts with a key's first failure: SET NX gives it its expiry, INCR keeps it.
    const batch = this.redis.multi();
    for (const key of keys) batch.set(key, '0', 'PX', this.windowMs, 'NX').incr(key);
    await batch.exec();
  }
}

function keysOf(who: Guesser): string[] {
  const keys: string[] = [];
  if (who.apiKeyId) keys.push(`redeem-guess:key:${who.apiKeyId}`);
  if (who.discordUserId) keys.push(`redeem-guess:member:${who.discordUserId}`);
  if (who.address) keys.push(`redeem-guess:ip:${who.address}`);
  return keys;
}
