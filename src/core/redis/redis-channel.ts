import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** How long a publisher waits for Redis to take a message before it goes on without. */
export const PUBLISH_WAIT_MS = 1000;

/**
 * A Redis pub/sub channel between the instances of one deployment: each message reaches every other
 * instance (never the one that sent it). Pub/sub channels are not keys, so ioredis does not prefix
 * them; the deployment's REDIS_KEY_PREFIX is added here. Without Redis, publishing does nothing: one
 * instance has nobody to tell.
 */
export class RedisChannel<Message extends object> {
  private readonly logger: Logger;
  private readonly instance = randomUUID();
  private readonly name: string;
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis | null,
    keyPrefix: string,
    name: string,
    private readonly isMessage: (value: unknown) => value is Message,
  ) {
    this.name = `${keyPrefix}${name}`;
    this.logger = new Logger(`RedisChannel ${name}`);
  }

  /** Starts delivering other instances' messages to `handle`. */
  async listen(handle: (message: Message) => void): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        const { from, message } = JSON.parse(text) as { from?: unknown; message?: unknown };
        if (from === this.instance) return;
        if (this.isMessage(message)) handle(message);
        else this.logger.warn('Ignored a message of an unknown shape');
      } catch (error) {
        this.logger.warn({ err: error }, 'Ignored a malformed message');
      }
    });
    this.subscriber.on('error', (error: unknown) =>
      this.logger.warn({ err: error }, 'Channel error; the subscriber reconnects by itself'),
    );
    await this.subscriber.subscribe(this.name);
  }

  /**
   * Tells the other instances. The promise settles once Redis has taken the message (and so has
   * handed it to every subscriber), or after PUBLISH_WAIT_MS while Redis is away; it never rejects.
   * A failure is logged, as callers keep a TTL or a refresh as bound. Callers that must not answer
   * before the others know await it; the rest need not.
   */
  publish(message: Message): Promise<void> {
    if (!this.redis) return Promise.resolve();
    const sent = this.redis
      .publish(this.name, JSON.stringify({ from: this.instance, message }))
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.warn({ err: error }, 'Could not publish; other instances catch up later'),
      );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, PUBLISH_WAIT_MS);
      timer.unref();
    });
    return Promise.race([sent, waited]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }
}
