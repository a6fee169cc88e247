import { randomBytes } from 'node:crypto';
import { createTestApp, redisUrl, type TestApp } from './support/app';

const describeIfRedis = redisUrl ? describe : describe.skip;

describeIfRedis('several instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = {
      REDIS_URL: redisUrl as string,
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

  it('reports Redis in the detailed health check', async () => {
    const res = await a.http().get('/api/health?detailed=true').expect(200);
    expect(res.body.checks.cache).toMatchObject({
      status: 'ok',
      backend: 'redis',
      latency_ms: expect.any(Number),
    });
  });
});
