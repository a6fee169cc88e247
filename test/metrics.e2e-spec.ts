import { randomUUID } from 'node:crypto';
import { MetricsModule } from '../src/core/metrics';
import { createTestApp, type TestApp } from './support/app';
import { connect, next } from './support/sockets';
import { adminToken } from './support/users';

/** The value of one series (`name{labels}`) in a scrape, 0 when absent. */
function value(scrape: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((label) => line.includes(label))) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

describe('Prometheus metrics', () => {
  let t: TestApp;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const scrape = async () => (await t.http().get('/metrics').expect(200)).text;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TICKET_COOLDOWN_MINUTES: '0',
        LOGIN_RATE_LIMIT_PER_USER: '3',
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
    });
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  it('counts requests by route template, with latency, and the process', async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    await t.http().get('/api/health').expect(200);
    const after = await scrape();
    expect(
      value(after, 'http_requests_total', { method: 'GET', route: '/api/health', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(after, 'http_request_duration_seconds_count', { route: '/api/health' }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps route labels bounded: 1,000 ticket ids are one template', async () => {
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    for (let i = 0; i < ids.length; i += 50)
      await Promise.all(
        ids.slice(i, i + 50).map((id) => t.http().get(`/api/tickets/${id}`).set(as(admin))),
      );
    await t.http().get(`/no/such/${randomUUID()}`).expect(404);
    const after = await scrape();
    expect(value(after, 'http_requests_total', { route: '/api/tickets/:id', status: '404' })).toBe(
      1000,
    );
    const routes = new Set(
      [...after.matchAll(/^http_requests_total\{[^}]*route="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect([...routes].filter((route) => ids.some((id) => route.includes(id)))).toEqual([]);
    expect(routes.has('unmatched')).toBe(true);
    expect(routes.size).toBeLessThan(15);
  });

  it('counts sockets, rooms and events in both directions', async () => {
    const opened = await t
      .http()
      .post('/api/tickets')
      .set(as(admin))
      .send({ type: 'Support', subject: 'Metrics', description: 'Counting what moves.' })
      .expect(201);
    const id = opened.body.ticket_id as string;
    const socket = await connect(t, { token: admin });
    try {
      const history = next(socket, 'message_history');
      socket.emit('join_ticket', { ticket_id: id });
      await history;
      const before = await scrape();
      const heard = next(socket, 'new_message');
      await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(admin))
        .send({ content: 'counted' })
        .expect(200);
      await heard;
      const after = await scrape();
      expect(value(after, 'socketio_connections')).toBeGreaterThanOrEqual(1);
      expect(value(after, 'socketio_rooms')).toBeGreaterThanOrEqual(1);
      expect(
        value(after, 'socketio_events_total', { direction: 'in', event: 'join_ticket' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        value(after, 'socketio_events_total', { direction: 'out', event: 'message_history' }),
      ).toBeGreaterThanOrEqual(1);
      // One subscriber, one message: each room event is counted once, whichever way it was written.
      const sent = (event: string) =>
        value(after, 'socketio_events_total', { direction: 'out', event }) -
        value(before, 'socketio_events_total', { direction: 'out', event });
      expect(sent('new_message')).toBe(1);
      expect(sent('ticket_update')).toBe(1);
      expect(after).toContain('outbox_oldest_pending_seconds');
      expect(
        value(after, 'database_transaction_duration_seconds_count', { outcome: 'commit' }),
      ).toBeGreaterThan(0);
      expect(value(after, 'database_read_duration_seconds_count')).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });

  it('counts refused logins and rate-limit refusals', async () => {
    const before = await scrape();
    for (let i = 0; i < 4; i += 1)
      await t.http().post('/api/auth/login').send({ username: 'metrics', password: 'wrong' });
    const after = await scrape();
    expect(
      value(after, 'auth_login_failures_total') - value(before, 'auth_login_failures_total'),
    ).toBe(3);
    expect(
      value(after, 'rate_limit_refusals_total', { route: '/api/auth/login' }) -
        value(before, 'rate_limit_refusals_total', { route: '/api/auth/login' }),
    ).toBe(1);
  });
});

describe('metrics access', () => {
  it('asks for METRICS_TOKEN as a bearer token', async () => {
    const t = await createTestApp({ env: { METRICS_TOKEN: 'scrape-token-1234' } });
    try {
      const refused = await t.http().get('/metrics').expect(401);
      expect(refused.body.error_code).toBe('METRICS_TOKEN_REQUIRED');
      await t.http().get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
      await t.http().get('/metrics').set('Authorization', 'Bearer scrape-token-1234').expect(200);
    } finally {
      await t.close();
    }
  });

  it('serves them on METRICS_PORT alone when it is set', async () => {
    const t = await createTestApp({ env: { METRICS_PORT: '0', METRICS_TOKEN: 'port-token-1234' } });
    try {
      await t.http().get('/metrics').expect(404);
      const port = t.app.get(MetricsModule).port as number;
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, { headers: { Authorization: 'Bearer port-token-1234' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('process_cpu_user_seconds_total');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
