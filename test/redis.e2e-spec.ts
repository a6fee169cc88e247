import { randomBytes } from 'node:crypto';
import { createTestApp, redisUrl, sharedRedis, type TestApp } from './support/app';

const describeIfRedis = redisUrl ? describe : describe.skip;

describeIfRedis('several instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = {
      ...sharedRedis(),
      LOGIN_RATE_LIMIT_PER_USER: '3',
      LOGIN_RATE_LIMIT_PER_IP: '100000',
    };
    a = await createTestApp({ env });
    b = await createTestApp({ env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('hold one login budget across instances', async () => {
    // A fresh name, so budgets left in Redis by earlier runs do not count.
    const username = `user-${randomBytes(6).toString('hex')}`;
    const attempt = (t: TestApp) =>
      t.http().post('/api/auth/login').send({ username, password: 'wrong' });
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    expect((await attempt(a)).status).toBe(401);
    const limited = await attempt(b);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keep the budgets of another key prefix apart', async () => {
    const username = `user-${randomBytes(6).toString('hex')}`;
    const other = await createTestApp({
      env: { ...sharedRedis(), LOGIN_RATE_LIMIT_PER_USER: '3', LOGIN_RATE_LIMIT_PER_IP: '100000' },
    });
    try {
      for (let i = 0; i < 3; i += 1)
        await a.http().post('/api/auth/login').send({ username, password: 'wrong' }).expect(401);
      await a.http().post('/api/auth/login').send({ username, password: 'wrong' }).expect(429);
      await other.http().post('/api/auth/login').send({ username, password: 'wrong' }).expect(401);
    } finally {
      await other.close();
    }
  });

  it('reports Redis in the detailed health check', async () => {
    const res = await a.http().get('/api/health?detailed=true').expect(200);
    expect(res.body.checks.cache).toMatchObject({
      status: 'ok',
      backend: 'redis',
      latency_ms: expect.any(Number),
    });
  });
});
