import { Logger } from 'nestjs-pino';
import { createTestApp, type TestApp } from './support/app';
import { ProbeModule } from './support/probe.module';

describe('structured logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
  });
  afterAll(() => t.close());

  it('writes one JSON line per request with its id, method, status and time', async () => {
    const res = await t.http().get('/health').set('X-Platform', 'Android').expect(200);
    const [line] = t.logs.forRequest(res.headers['x-request-id']);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: res.headers['x-request-id'], method: 'GET', url: '/health', platform: 'Android' },
      res: { statusCode: 200 },
    });
    expect(typeof line.responseTime).toBe('number');
  });

  it('never logs credentials from headers, the query string or the body', async () => {
    const secrets = {
      bearer: 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWp3dA.sig-9f8e7d',
      headerKey: 'hdr-key-5b1c2d3e4f',
      queryKey: 'qry-key-7a6b5c4d3e',
      password: 'pw-hunter2-xyz',
      token: 'tok-0a1b2c3d4e',
      cookie: 'sid-cookie-112233',
    };
    const res = await t
      .http()
      .post(`/__probe/raw?api_key=${secrets.queryKey}&page=1`)
      .set('Authorization', `Bearer ${secrets.bearer}`)
      .set('X-API-Key', secrets.headerKey)
      .set('Cookie', `sid=${secrets.cookie}`)
      .send({ username: 'admin', password: secrets.password, token: secrets.token })
      .expect(200);
    // A module that logs an object with credentials in it gets them censored too.
    t.app
      .get(Logger)
      .warn(
        { msg: 'login attempt', password: secrets.password, user: { token: secrets.token } },
        'Auth',
      );
    expect(t.logs.entries().find((entry) => entry.msg === 'login attempt')).toMatchObject({
      password: '[redacted]',
      user: { token: '[redacted]' },
    });
    const lines = t.logs.forRequest(res.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect((lines[0].req as { url: string }).url).toBe('/__probe/raw?api_key=[redacted]&page=1');
    const everything = t.logs.text();
    for (const value of Object.values(secrets)) expect(everything).not.toContain(value);
  });
});
