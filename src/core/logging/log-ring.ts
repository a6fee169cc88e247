import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';

const FLUSH_MS = 500;

/**
 * The latest log lines, as written (JSON, secrets already censored by the logger), for the app's
 * log screens. Bounded: a circular buffer of LOG_RING_SIZE lines. With Redis, lines also go to one
 * capped list that every instance appends to (in batches, off the logging path) and reads from, so
 * any instance shows the deployment's log.
 */
export class LogRing implements OnApplicationShutdown {
  private readonly logger = new Logger('LogRing');
  private readonly lines: (string | undefined)[];
  private next = 0;
  private pending: string[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failing = false;

  constructor(
    readonly size: number,
    private readonly redis: Redis | null,
    private readonly key = 'logs',
  ) {
    this.lines = new Array<string | undefined>(size);
  }

  /** Called for every line the logger writes; never throws, never waits. */
  push(line: string): void {
    const text = line.endsWith('\n') ? line.slice(0, -1) : line;
    this.lines[this.next] = text;
    this.next = (this.next + 1) % this.size;
    if (!this.redis) return;
    this.pending.push(text);
    if (this.pending.length > this.size) this.pending.splice(0, this.pending.length - this.size);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** The latest lines, oldest first: the deployment's from Redis, or this instance's. */
  async recent(): Promise<string[]> {
    if (this.redis) {
      try {
        await this.flush();
        return await this.redis.lrange(this.key, 0, -1);
      } catch (error) {
        this.logger.warn(
          { err: error },
          'Could not read the shared log; showing this instance only',
        );
      }
    }
    return this.local();
  }

  local(): string[] {
    const older = this.lines.slice(this.next);
    const newer = this.lines.slice(0, this.next);
    return [...older, ...newer].filter((line): line is string => line !== undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.flush().catch(() => undefined);
  }

  private flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async send(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.redis) return;
    try {
      await this.redis
        .multi()
        .rpush(this.key, ...batch)
        .ltrim(this.key, -this.size, -1)
        .exec();
      if (this.failing) this.logger.log('The shared log is written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.logger.warn({ err: error }, 'Could not write the shared log; lines stay local');
      this.failing = true;
    }
  }
}
