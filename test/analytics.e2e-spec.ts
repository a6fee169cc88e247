import Database from 'better-sqlite3';
import { AnalyticsDaily } from '../src/analytics/analytics-daily.entity';
import { AnalyticsError } from '../src/analytics/analytics-error.entity';
import { AnalyticsEvent } from '../src/analytics/analytics-event.entity';
import { AnalyticsRecorder, type RecordedEvent } from '../src/analytics/analytics-recorder';
import { AnalyticsSession } from '../src/analytics/analytics-session.entity';
import { rebuildRollups } from '../src/analytics/rollup-rebuild';
import { TransactionRunner } from '../src/core/database';
import { createTestApp, DATABASE_KINDS, describeOn, type TestApp } from './support/app';
import { ProbeModule } from './support/probe.module';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

const APP_HEADERS = {
  'X-Platform': 'Android',
  'X-App-Version': '2025.12.17+19',
  'X-Device-Info': 'Google Pixel 9',
  'X-Session-ID': '1765980000000_1',
  'User-Agent': 'Chillventory/1.0 (Android; Flutter)',
};

/** A synthetic event for seeding, as the recorder would have it from a request. */
function event(
  at: string,
  userId: string,
  sessionId: string,
  name: string,
  platform = 'Web',
): RecordedEvent {
  return {
    at: new Date(at),
    kind: name.startsWith('screen.') ? 'client' : 'request',
    name,
    method: 'GET',
    status: 200,
    userId,
    sessionId,
    platform,
    appVersion: '1.0',
    props: null,
    client: { deviceInfo: null, clientSessionId: null, ip: null, userAgent: null },
  };
}

/** The daily figures recomputed straight from the raw events, independently of the fold. */
function recompute(events: AnalyticsEvent[]) {
  const days = new Map<string, AnalyticsEvent[]>();
  for (const e of events) days.set(e.day, [...(days.get(e.day) ?? []), e]);
  const firstDay = new Map<string, string>();
  for (const e of [...events].sort((a, b) => a.at.getTime() - b.at.getTime()))
    if (!firstDay.has(e.userId)) firstDay.set(e.userId, e.day);
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, list]) => {
      const sessions = new Map<string, AnalyticsEvent[]>();
      for (const e of list) sessions.set(e.sessionId, [...(sessions.get(e.sessionId) ?? []), e]);
      const platforms: Record<string, number> = {};
      let sessionMs = 0;
      for (const group of sessions.values()) {
        const times = group.map((e) => e.at.getTime());
        sessionMs += Math.max(...times) - Math.min(...times);
        const first = [...group].sort((a, b) => a.at.getTime() - b.at.getTime())[0];
        platforms[first.platform ?? 'Unknown'] = (platforms[first.platform ?? 'Unknown'] ?? 0) + 1;
      }
      const hours = new Array<number>(24).fill(0);
      for (const e of list) hours[e.at.getUTCHours()] += 1;
      return {
        day,
        sessions: sessions.size,
        uniqueUsers: new Set(list.map((e) => e.userId)).size,
        newUsers: [...firstDay.values()].filter((d) => d === day).length,
        actions: list.length,
        sessionMs,
        platforms,
        hours,
      };
    });
}

for (const kind of DATABASE_KINDS) {
  describeOn(kind)(`analytics on ${kind}`, () => {
    let t: TestApp;
    let admin: string;
    let mod: string;
    let member: string;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const flush = () => t.app.get(AnalyticsRecorder).flush();
    const rollups = async () =>
      (await t.dataSource.getRepository(AnalyticsDaily).find({ order: { day: 'ASC' } })).map(
        (row) => ({
          day: row.day,
          sessions: row.sessions,
          uniqueUsers: row.uniqueUsers,
          newUsers: row.newUsers,
          actions: row.actions,
          sessionMs: row.sessionMs,
          platforms: JSON.parse(row.platforms) as Record<string, number>,
          hours: JSON.parse(row.hours) as number[],
        }),
      );

    beforeAll(async () => {
      t = await createTestApp({
        database: kind,
        imports: [ProbeModule],
        env: { ANALYTICS_FLUSH_MS: '0', TICKET_COOLDOWN_MINUTES: '0' },
      });
      admin = await adminToken(t);
      mod = await discordMemberToken(t, '970000000000000001', 'moderator');
      member = await discordMemberToken(t, '970000000000000002');
    });
    afterAll(() => t.close());

    it('records real requests with the app headers, by endpoint name, never raw ids', async () => {
      const opened = await t
        .http()
        .post('/api/tickets')
        .set(as(member))
        .set(APP_HEADERS)
        .send({ type: 'Support', subject: 'Recorded', description: 'Is this counted?' })
        .expect(201);
      await t.http().get('/api/tickets/my').set(as(member)).set(APP_HEADERS).expect(200);
      await t
        .http()
        .get(`/api/tickets/${opened.body.ticket_id}`)
        .set(as(member))
        .set(APP_HEADERS)
        .expect(200);
      await flush();
      const sessions = await t.dataSource.getRepository(AnalyticsSession).find();
      const mine = sessions.find((s) => s.clientSessionId === '1765980000000_1');
      expect(mine).toMatchObject({
        platform: 'Android',
        appVersion: '2025.12.17+19',
        deviceInfo: 'Google Pixel 9',
        lastEndpoint: 'tickets.get_ticket',
      });
      expect(mine?.actions).toBeGreaterThanOrEqual(3);
      expect(JSON.parse(mine?.endpoints ?? '{}')).toMatchObject({
        'tickets.create_ticket_endpoint': 1,
        'tickets.get_my_tickets': 1,
        'tickets.get_ticket': 1,
      });
      const names = (await t.dataSource.getRepository(AnalyticsEvent).find()).map((e) => e.name);
      expect(names.some((name) => name.includes(opened.body.ticket_id as string))).toBe(false);
      // Anonymous requests are not recorded.
      const before = names.length;
      await t.http().get('/api/health').expect(200);
      await flush();
      expect(await t.dataSource.getRepository(AnalyticsEvent).count()).toBe(before);
    });

    it('folds events into rollups that equal a direct recomputation, across UTC midnight', async () => {
      const recorder = t.app.get(AnalyticsRecorder);
      const seeded = [
        event('2026-03-01T23:59:59.900Z', 'u1', 's1', 'tickets.get_tickets', 'Android'),
        event('2026-03-02T00:00:00.100Z', 'u1', 's1', 'tickets.get_ticket', 'Android'),
        event('2026-03-02T08:15:00.000Z', 'u2', 's2', 'config.get_config'),
        event('2026-03-02T08:45:00.000Z', 'u2', 's2', 'screen.settings'),
        event('2026-03-02T09:00:00.000Z', 'u1', 's3', 'tickets.get_tickets', 'iOS'),
        event('2026-03-03T10:00:00.000Z', 'u3', 's4', 'tickets.get_tickets'),
      ];
      // Two flushes: the second extends a session and a day the first already counted.
      for (const e of seeded.slice(0, 3)) recorder.record(e);
      await flush();
      for (const e of seeded.slice(3)) recorder.record(e);
      recorder.record(event('2026-03-02T11:00:00.000Z', 'u2', 's2', 'config.get_config'));
      await flush();

      const raw = await t.dataSource.getRepository(AnalyticsEvent).find();
      const expected = recompute(raw);
      const folded = await rollups();
      expect(folded).toEqual(expected);
      const march = folded.filter((row) => row.day.startsWith('2026-03'));
      expect(march.map((row) => row.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
      expect(march[0]).toMatchObject({ sessions: 1, actions: 1, newUsers: 1 });
      expect(march[0].hours[23]).toBe(1);
      expect(march[1]).toMatchObject({ sessions: 3, uniqueUsers: 2, actions: 5, newUsers: 1 });
      expect(march[1].hours[0]).toBe(1);
      expect(march[1].platforms).toEqual({ Android: 1, Web: 1, iOS: 1 });

      // The rebuild command's fold gives the very same rows.
      await rebuildRollups(t.dataSource, t.app.get(TransactionRunner));
      expect(await rollups()).toEqual(folded);
    });

    it('answers the stats in the API document shape, for a range or all time, and exports them', async () => {
      const all = await t.http().get('/api/stats').set(as(mod)).expect(200);
      expect(all.body).toMatchObject({
        days: null,
        total_users: expect.any(Number),
        active_users_7d: expect.any(Number),
        total_sessions: expect.any(Number),
        avg_session_duration: expect.any(Number),
        total_actions: expect.any(Number),
      });
      expect((all.body.daily as Body[]).map((d) => d.day)).toEqual(
        expect.arrayContaining(['2026-03-01', '2026-03-02', '2026-03-03']),
      );
      expect(all.body.peak_hours).toHaveLength(24);
      expect(all.body.top_features).toEqual([{ name: 'screen.settings', count: 1 }]);
      const week = await t.http().get('/api/stats?days=7').set(as(mod)).expect(200);
      expect((week.body.daily as Body[]).some((d) => String(d.day).startsWith('2026-03'))).toBe(
        false,
      );
      expect(week.body.active_users_7d).toBeGreaterThanOrEqual(1);
      await t.http().get('/api/stats?days=0').set(as(mod)).expect(400);

      const csv = await t.http().get('/api/stats/export?format=csv').set(as(mod)).expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe('day,sessions,unique_users,new_users,actions,avg_session_duration');
      expect(lines).toContain('2026-03-03,1,1,1,1,0');
      const json = await t.http().get('/api/stats/export?format=json').set(as(mod)).expect(200);
      expect(json.body).toEqual(
        expect.arrayContaining([
          {
            day: '2026-03-01',
            sessions: 1,
            unique_users: 1,
            new_users: 1,
            actions: 1,
            avg_session_duration: 0,
          },
        ]),
      );
    });

    it('tells readers once per flush, however many batches it writes, and they see every batch', async () => {
      const recorder = t.app.get(AnalyticsRecorder);
      // What earlier tests' requests left waiting is written first.
      await flush();
      const before = (await t.http().get('/api/stats').set(as(mod)).expect(200)).body as Body;
      let told = 0;
      recorder.onFlushed(() => (told += 1));
      // More than two batches of the recorder's 500.
      for (let i = 0; i < 1_200; i += 1)
        recorder.record(
          event(
            `2026-04-10T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
            `u${i % 9}`,
            `s${i % 17}`,
            'tickets.get_tickets',
          ),
        );
      await flush();
      expect(told).toBe(1);
      const after = (await t.http().get('/api/stats').set(as(mod)).expect(200)).body as Body;
      // The first GET was recorded too, and written by the same flush.
      expect(after.total_actions).toBe(Number(before.total_actions) + 1_201);
    });

    it('keeps the rollups when the retention deletes raw events', async () => {
      const before = await rollups();
      const removed = await t.app.get(AnalyticsRecorder).expire(new Date('2026-06-15T00:00:00Z'));
      expect(removed).toBeGreaterThanOrEqual(7);
      const left = await t.dataSource.getRepository(AnalyticsEvent).find();
      expect(left.every((e) => e.at >= new Date('2026-03-17T00:00:00Z'))).toBe(true);
      expect((await rollups()).filter((r) => r.day.startsWith('2026-03'))).toEqual(
        before.filter((r) => r.day.startsWith('2026-03')),
      );
      // A rebuild leaves days without raw events as they were.
      await rebuildRollups(t.dataSource, t.app.get(TransactionRunner));
      expect((await rollups()).filter((r) => r.day.startsWith('2026-03'))).toEqual(
        before.filter((r) => r.day.startsWith('2026-03')),
      );
    });

    it('lists live sessions once per user with every field the app reads, and deduplicated activity', async () => {
      const headers = { ...APP_HEADERS, 'X-Session-ID': '1765980000000_2' };
      for (let i = 0; i < 3; i += 1)
        await t.http().get('/api/tickets/my').set(as(member)).set(headers).expect(200);
      // A second session of the same user: only the latest one is listed.
      const again = await discordMemberToken(t, '970000000000000002');
      await t.http().get('/api/ping').set(as(again)).expect(200);
      await flush();
      const res = await t.http().get('/api/admin/active-sessions').set(as(mod)).expect(200);
      const sessions = res.body.sessions as Body[];
      const members = sessions.filter((s) => s.discord_id === '970000000000000002');
      expect(members).toHaveLength(1);
      expect(members[0].last_endpoint).toBe('auth_routes.ping');
      for (const session of sessions) {
        for (const key of [
          'session_id',
          'username',
          'discord_id',
          'role',
          'last_seen',
          'seconds_ago',
          'ip',
          'user_agent',
          'last_endpoint',
          'app_version',
          'platform',
          'device_info',
          'is_debug',
          'is_emulator',
        ]) {
          expect({ key, value: session[key] ?? null }).not.toEqual({ key, value: null });
        }
      }
      expect(res.body.total_active).toBe(sessions.length);
      const activity = res.body.recent_activity as Body[];
      expect(activity.length).toBeLessThanOrEqual(50);
      const myTickets = activity.filter(
        (a) => a.discord_id === '970000000000000002' && a.endpoint === 'tickets.get_my_tickets',
      );
      expect(myTickets).toHaveLength(1);
      expect(res.body.checked_at).toEqual(expect.any(String));
      const seed = await t.http().get('/api/active-sessions').set(as(mod)).expect(200);
      expect(seed.body.sessions[0]).toEqual({
        session_id: expect.any(String),
        user_id: expect.any(String),
        platform: expect.any(String),
        last_activity: expect.any(String),
        duration: expect.any(Number),
      });
    });

    it('takes batches of client events, and refuses more than 100', async () => {
      const res = await t
        .http()
        .post('/api/analytics/events')
        .set(as(member))
        .send({ events: [{ name: 'screen.tickets' }, { name: 'button.refresh', props: { n: 1 } }] })
        .expect(200);
      expect(res.body).toEqual({ success: true, accepted: 2 });
      await flush();
      const stats = await t.http().get('/api/stats?days=1').set(as(mod)).expect(200);
      expect(stats.body.top_features).toEqual(
        expect.arrayContaining([{ name: 'screen.tickets', count: 1 }]),
      );
      const many = Array.from({ length: 101 }, () => ({ name: 'x' }));
      await t
        .http()
        .post('/api/analytics/events')
        .set(as(member))
        .send({ events: many })
        .expect(400);
      const bad = await t
        .http()
        .post('/api/analytics/events')
        .set(as(member))
        .send({ events: [{ name: 'has spaces' }] })
        .expect(400);
      expect(bad.body.details[0].field).toBe('events.0.name');
    });

    it('groups server errors by signature', async () => {
      for (let i = 0; i < 3; i += 1) await t.http().get('/__probe/boom').expect(500);
      await flush();
      const res = await t.http().get('/api/analytics/errors').set(as(mod)).expect(200);
      const boom = (res.body.errors as Body[]).find((e) => e.route === 'GET /__probe/boom');
      expect(boom).toMatchObject({ type: 'Error', count: 3 });
      await t.http().delete('/api/analytics/errors').set(as(mod)).expect(403);
      await t.http().delete('/api/analytics/errors').set(as(admin)).expect(200);
      expect((await t.http().get('/api/analytics/errors').set(as(mod))).body.errors).toEqual([]);
    });

    it('stops recording and serving while the AnalyticsManager cog is unloaded', async () => {
      await flush();
      const count = () => t.dataSource.getRepository(AnalyticsEvent).count();
      const before = await count();
      await t.http().post('/api/cogs/AnalyticsManager/unload').set(as(admin)).expect(200);
      try {
        const res = await t.http().get('/api/stats').set(as(mod)).expect(503);
        expect(res.body.error_code).toBe('COG_DISABLED');
        await t.http().get('/api/tickets/my').set(as(member)).expect(200);
        await flush();
        // Only the unload itself was recorded, before the cog stopped.
        expect(await count()).toBeLessThanOrEqual(before + 1);
      } finally {
        await t.http().post('/api/cogs/AnalyticsManager/load').set(as(admin)).expect(200);
      }
      await t.http().get('/api/stats').set(as(mod)).expect(200);
    });

    it('gives lootlings 403 on every analytics read', async () => {
      for (const path of [
        '/api/stats',
        '/api/stats/export',
        '/api/active-sessions',
        '/api/admin/active-sessions',
        '/api/analytics/errors',
      ]) {
        const res = await t.http().get(path).set(as(member));
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
    });
  });
}

describe("analytics under another connection's lock on SQLite", () => {
  it('a flush that cannot write keeps every event and writes each once when the lock is gone', async () => {
    const t = await createTestApp({
      env: { ANALYTICS_FLUSH_MS: '0', SQLITE_BUSY_TIMEOUT_MS: '200' },
    });
    const { target } = t.config.database;
    if (target.kind !== 'sqlite') throw new Error('not on SQLite');
    const lock = new Database(target.path);
    try {
      const recorder = t.app.get(AnalyticsRecorder);
      const events = t.dataSource.getRepository(AnalyticsEvent);
      await recorder.flush();
      const before = await events.count();
      // More than one batch, so a failure in the first must keep the rest too.
      for (let i = 0; i < 1_200; i += 1) {
        const at = new Date(Date.UTC(2026, 2, 2, 10, 0, i % 60)).toISOString();
        recorder.record(event(at, `u${i % 7}`, `s${i % 13}`, 'tickets.get_tickets'));
      }
      const failure = { type: 'Error', route: 'GET /__probe/locked', stack: null };
      recorder.recordError({ ...failure, message: 'locked 1', at: new Date() });
      recorder.recordError({ ...failure, message: 'locked 2', at: new Date() });
      lock.exec('BEGIN IMMEDIATE');
      await recorder.flush();
      expect(t.logs.entries()).toContainEqual(
        expect.objectContaining({ level: 50, msg: 'Could not write analytics' }),
      );
      lock.exec('ROLLBACK');
      expect(await events.count()).toBe(before);

      await recorder.flush();
      expect(await events.count()).toBe(before + 1_200);
      expect(recorder.dropped).toBe(0);
      const errors = await t.dataSource
        .getRepository(AnalyticsError)
        .findBy({ route: 'GET /__probe/locked' });
      expect(errors).toEqual([expect.objectContaining({ type: 'Error', count: 2 })]);
      const sessions = await t.dataSource.getRepository(AnalyticsSession).findBy({ userId: 'u0' });
      expect(sessions.length).toBeGreaterThan(0);
      expect(t.logs.entries()).toContainEqual(
        expect.objectContaining({ msg: 'Analytics are written again' }),
      );
    } finally {
      lock.close();
      await t.close();
    }
  });
});
