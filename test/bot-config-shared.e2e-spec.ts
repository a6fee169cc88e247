import { createTestApp, postgresUrl, redisUrl, sharedRedis, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { adminToken } from './support/users';

const describeShared = postgresUrl && redisUrl ? describe : describe.skip;

/** Two instances on one PostgreSQL and one Redis share settings, cog states and the log. */
describeShared('settings, cogs and logs across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let tokenA: string;
  let tokenB: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    // A refresh period far longer than the test: only the Redis announcement can explain a change.
    const env = { ...sharedRedis(), CONFIG_REFRESH_MS: '3600000' };
    a = await createTestApp({ database: 'postgres', env });
    b = await createTestApp({
      env: {
        ...env,
        DATABASE_URL: postgresUrl as string,
        DB_SCHEMA: a.config.database.schema as string,
      },
    });
    tokenA = await adminToken(a);
    tokenB = await adminToken(b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a section saved on one instance is what the other answers and acts on', async () => {
    await a
      .http()
      .put('/api/config/tickets')
      .set(as(tokenA))
      .send({ categories: ['Shared'] })
      .expect(200);
    await eventually(async () => {
      const res = await b.http().get('/api/config/tickets').set(as(tokenB)).expect(200);
      expect(res.body.categories).toEqual(['Shared']);
    });
    const refused = await b
      .http()
      .post('/api/tickets')
      .set(as(tokenB))
      .send({ type: 'Support', subject: 'On B', description: 'Opened on the other one.' })
      .expect(400);
    expect(refused.body.error).toBe('Invalid ticket type. Must be one of: Shared');
    // Both instances agree on the validator, so a conditional write on B is based on A's change.
    const etagA = (await a.http().get('/api/config/tickets').set(as(tokenA))).headers.etag;
    const etagB = (await b.http().get('/api/config/tickets').set(as(tokenB))).headers.etag;
    expect(etagB).toBe(etagA);
  });

  it('a cog unloaded on one instance is unloaded on the other', async () => {
    await a.http().post('/api/cogs/TicketSystem/unload').set(as(tokenA)).expect(200);
    await eventually(() => b.http().get('/api/tickets').set(as(tokenB)).expect(503));
    await b.http().post('/api/cogs/TicketSystem/load').set(as(tokenB)).expect(200);
    await eventually(() => a.http().get('/api/tickets').set(as(tokenA)).expect(200));
  });

  it("either instance shows the other's log lines", async () => {
    await a.http().get('/api/no-such-route-on-a').expect(404);
    await eventually(async () => {
      const res = await b
        .http()
        .get('/api/logs?search=no-such-route-on-a')
        .set(as(tokenB))
        .expect(200);
      expect(res.body.logs.length).toBeGreaterThan(0);
    });
  });
});
