import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { SingletonLease } from '../src/core/lease';
import { createTestApp, postgresUrl, redisUrl, sharedRedis, type TestApp } from './support/app';
import { type DiscordWorld, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { GuildhallProcess } from './support/guildhall-process';

const lease = (t: TestApp) => t.app.get(SingletonLease);
const health = async (t: TestApp) =>
  (await t.http().get('/api/health').expect(200)).body as {
    instance: string;
    owner: string | null;
  };

/** Exactly one instance does the singleton work; when it goes, another takes over. */
(redisUrl ? describe : describe.skip)('the singleton lease in Redis', () => {
  const apps: TestApp[] = [];
  let env: Record<string, string>;
  const start = async (name: string, extra: Record<string, string> = {}) => {
    const t = await createTestApp({ env: { ...env, INSTANCE_ID: name, ...extra } });
    apps.push(t);
    return t;
  };

  beforeEach(() => {
    env = { ...sharedRedis(), LEASE_TTL_MS: '1200' };
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.close()));
  });

  it('is held by one instance, named by /api/health on both, and passes on when it stops', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    expect(lease(a).held).toBe(true);
    expect(lease(b).held).toBe(false);
    await eventually(async () => {
      expect(await health(a)).toMatchObject({ instance: 'instance-a', owner: 'instance-a' });
      expect(await health(b)).toMatchObject({ instance: 'instance-b', owner: 'instance-a' });
    });
    await a.close();
    await eventually(() => expect(lease(b).held).toBe(true), 5000);
    expect(await health(b)).toMatchObject({ owner: 'instance-b' });
  });

  it('passes on by expiry when the owner stops renewing without a word', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    // The owner's renewals stop (as when it is killed); its key is left to expire.
    const stopped = lease(a) as unknown as { timer: NodeJS.Timeout };
    clearInterval(stopped.timer);
    // Within the key's time to live, two attempt periods and a second of slack.
    await eventually(() => expect(lease(b).held).toBe(true), 1200 + 2 * 400 + 1000);
    expect(await health(b)).toMatchObject({ owner: 'instance-b' });
  });

  it('stays with its owner when Redis loses the key (a restart of Redis)', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    const raw = new Redis(redisUrl as string);
    try {
      for (let round = 0; round < 3; round += 1) {
        await raw.del(`${env.REDIS_KEY_PREFIX}lease:singleton`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(lease(a).held).toBe(true);
        expect(lease(b).held).toBe(false);
      }
      expect(await raw.get(`${env.REDIS_KEY_PREFIX}lease:singleton`)).toBe('instance-a');
    } finally {
      raw.disconnect();
    }
  });

  it('is never taken by an instance with DISCORD_GATEWAY=false', async () => {
    const a = await start('instance-a', { DISCORD_GATEWAY: 'false' });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(lease(a).held).toBe(false);
    expect(await health(a)).toMatchObject({ instance: 'instance-a', owner: null });
    const b = await start('instance-b');
    expect(lease(b).held).toBe(true);
    await eventually(async () => expect(await health(b)).toMatchObject({ owner: 'instance-b' }));
  });
});

(postgresUrl ? describe : describe.skip)('the singleton lease on PostgreSQL without Redis', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    // The first app owns the schema: it goes last.
    for (const t of apps.reverse()) await t.close();
  });

  it('is an advisory lock: one holder, and the other takes it when the holder stops', async () => {
    const a = await createTestApp({
      database: 'postgres',
      env: { INSTANCE_ID: 'pg-a', LEASE_TTL_MS: '1200' },
    });
    apps.push(a);
    const b = await createTestApp({
      env: {
        INSTANCE_ID: 'pg-b',
        LEASE_TTL_MS: '1200',
        DATABASE_URL: postgresUrl as string,
        DB_SCHEMA: a.config.database.schema as string,
      },
    });
    apps.push(b);
    expect(lease(a).held).toBe(true);
    expect(lease(b).held).toBe(false);
    await eventually(async () => expect(await health(b)).toMatchObject({ owner: 'pg-a' }));
    // The holder's connection ends with its lease; the app itself keeps its schema until the end.
    await lease(a).onApplicationShutdown();
    await eventually(() => expect(lease(b).held).toBe(true), 5000);
    await eventually(async () => expect(await health(b)).toMatchObject({ owner: 'pg-b' }));
  });
});

(redisUrl ? describe : describe.skip)('an owner that loses the lease while running the bot', () => {
  let world: DiscordWorld;
  let dir: string;
  afterAll(async () => {
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs out of Discord and exits with 75, for its supervisor to restart it as a standby', async () => {
    world = await startDiscordWorld();
    dir = mkdtempSync(join(tmpdir(), 'guildhall-lease-loss-'));
    const { REDIS_KEY_PREFIX: prefix } = sharedRedis();
    const server = await GuildhallProcess.start(join(dir, 'data'), {
      ...world.env,
      REDIS_URL: redisUrl as string,
      REDIS_KEY_PREFIX: prefix,
      INSTANCE_ID: 'loser',
      LEASE_TTL_MS: '1500',
    });
    try {
      await eventually(() => expect(world.gateway.identified).toHaveLength(1), 10_000);
      // Another instance holds the lease now (as after a partition that outlasted it).
      const raw = new Redis(redisUrl as string);
      try {
        await raw.set(`${prefix}lease:singleton`, 'winner', 'PX', 60_000);
      } finally {
        raw.disconnect();
      }
      expect(await server.server.exited).toBe(75);
      expect(server.server.output()).toContain('Lost the singleton lease while running the bot');
    } finally {
      await server.kill();
    }
  });
});
