import { createServer, type Server } from 'node:net';
import Redis from 'ioredis';
import { PUBLISH_WAIT_MS, RedisChannel } from './redis-channel';

const url = process.env.TEST_REDIS_URL;
const isText = (value: unknown): value is { text: string } =>
  typeof (value as { text?: unknown } | null)?.text === 'string';

describe('RedisChannel.publish', () => {
  it('settles at once without Redis', async () => {
    await expect(new RedisChannel(null, 'p:', 'c', isText).publish({ text: 'a' })).resolves.toBe(
      undefined,
    );
  });

  it('settles, without rejecting, after PUBLISH_WAIT_MS when Redis does not answer', async () => {
    // A server that accepts connections and never answers: ioredis keeps the command waiting.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const redis = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', () => undefined);
    try {
      const started = Date.now();
      await expect(
        new RedisChannel(redis, 'p:', 'c', isText).publish({ text: 'a' }),
      ).resolves.toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(PUBLISH_WAIT_MS - 50);
    } finally {
      redis.disconnect();
      silent.close();
    }
  });

  (url ? it : it.skip)('delivers what it published, in order, to the other instances', async () => {
    const prefix = `channel-spec-${Date.now()}:`;
    const a = new Redis(url as string);
    const b = new Redis(url as string);
    const sender = new RedisChannel(a, prefix, 'c', isText);
    const receiver = new RedisChannel(b, prefix, 'c', isText);
    const heard: string[] = [];
    try {
      await receiver.listen((message) => heard.push(message.text));
      await sender.publish({ text: 'first' });
      await sender.publish({ text: 'second' });
      for (let i = 0; i < 100 && heard.length < 2; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(heard).toEqual(['first', 'second']);
    } finally {
      await receiver.close();
      a.disconnect();
      b.disconnect();
    }
  });
});
