import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface Window {
  startedAt: number;
  endsAt: number;
  hits: number;
  blockedUntil: number;
}

/** How often windows that have ended are dropped. */
const SWEEP_MS = 60_000;

/**
 * Request budgets of one instance, in fixed windows: one counter per key, O(1) per request.
 * @nestjs/throttler's own memory storage keeps a timestamp per hit and filters the whole list on
 * every request, so a busy caller costs more with every request of the window (and a window of more
 * than about 100,000 hits overflows the call stack in its `Math.min(...hits)`).
 */
export class MemoryThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweep: NodeJS.Timeout;

  constructor() {
    this.sweep = setInterval(() => this.dropEnded(), SWEEP_MS);
    this.sweep.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { startedAt: now, endsAt: now + ttl, hits: 0, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    const blocked = window.blockedUntil > now;
    if (!blocked) {
      window.hits += 1;
      if (window.hits > limit && blockDuration > 0) window.blockedUntil = now + blockDuration;
    }
    const isBlocked = window.blockedUntil > now || window.hits > limit;
    const secondsUntil = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: secondsUntil(window.endsAt),
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsUntil(Math.max(window.blockedUntil, window.endsAt)) : 0,
    });
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
  }

  private dropEnded(now = Date.now()): void {
    for (const [id, window] of this.windows) {
      if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(id);
    }
  }
}
