import type { Socket } from 'socket.io-client';
import { TicketsLifecycle } from '../src/tickets/tickets-lifecycle.service';
import { createTestApp, type TestApp } from './support/app';
import { connect, next } from './support/sockets';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

describe('cogs, logs and admin tools', () => {
  let t: TestApp;
  let admin: string;
  let lootling: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const cogs = async () =>
    (await t.http().get('/api/cogs').set(as(admin)).expect(200)).body as {
      cogs: Body[];
      total: number;
      loaded_count: number;
      disabled_count: number;
    };
  const openTicket = (token: string) =>
    t
      .http()
      .post('/api/tickets')
      .set(as(token))
      .send({ type: 'Support', subject: 'Help', description: 'Something broke today.' });

  beforeAll(async () => {
    t = await createTestApp({ env: { TICKET_COOLDOWN_MINUTES: '0', TICKET_JOB_INTERVAL_MS: '0' } });
    admin = await adminToken(t);
    lootling = await discordMemberToken(t, '830000000000000001');
  });
  afterAll(() => t.close());

  it('lists every cog in the app shape, by category then name', async () => {
    const list = await cogs();
    expect(list.total).toBe(list.cogs.length);
    expect(list.loaded_count).toBe(list.total);
    expect(list.disabled_count).toBe(0);
    const names = list.cogs.map((cog) => cog.name);
    for (const name of [
      'CogManager',
      'APIServer',
      'TicketSystem',
      'Invites',
      'RocketLeague',
      'MemeGenerator',
      'DailyMeme',
      'Welcome',
      'ServerGuide',
      'Presence',
      'AnalyticsManager',
      'DiscordLogging',
    ]) {
      expect(names).toContain(name);
    }
    const order = [
      'core',
      'community',
      'content',
      'gaming',
      'moderation',
      'support',
      'user',
      'info',
      'productivity',
      'utility',
      'notifications',
      'monitoring',
      'other',
    ];
    const ranks = list.cogs.map((cog) => order.indexOf(cog.category as string));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    const manager = list.cogs.find((cog) => cog.name === 'CogManager');
    expect(manager).toMatchObject({
      status: 'loaded',
      loaded: true,
      can_unload: false,
      can_reload: false,
      can_load: false,
      error_message: null,
    });
    for (const cog of list.cogs) {
      for (const key of ['name', 'file_name', 'status', 'description', 'icon', 'category']) {
        expect(typeof cog[key]).toBe('string');
      }
    }
  });

  it('refuses what the app refuses: CogManager, APIServer, unknown, twice', async () => {
    const post = (path: string) => t.http().post(`/api/cogs/${path}`).set(as(admin));
    expect((await post('CogManager/unload').expect(400)).body.error).toBe(
      'Cannot unload CogManager',
    );
    expect((await post('cogmanager/reload').expect(400)).body.error).toBe(
      'Cannot reload CogManager',
    );
    expect((await post('APIServer/unload').expect(403)).body.error).toBe(
      'APIServer cannot be unloaded. Use reload instead.',
    );
    expect((await post('Nope/load').expect(404)).body.error).toBe("Cog 'Nope' not found");
    expect((await post('Welcome/load').expect(400)).body.error).toBe(
      "Cog 'Welcome' is already loaded",
    );
    await post('APIServer/reload').expect(200);
  });

  it('unloading TicketSystem stops its routes and its job; loading brings them back', async () => {
    const opened = await openTicket(admin).expect(201);
    const id = opened.body.ticket_id as string;
    await t.http().post(`/api/tickets/${id}/close`).set(as(admin)).send({}).expect(200);

    const unloaded = await t
      .http()
      .post('/api/cogs/TicketSystem/unload')
      .set(as(admin))
      .expect(200);
    expect(unloaded.body).toMatchObject({
      success: true,
      cog: { name: 'TicketSystem', status: 'disabled' },
    });
    const refused = await t.http().get('/api/tickets').set(as(admin)).expect(503);
    expect(refused.body).toMatchObject({
      error: 'TicketSystem cog not loaded',
      error_code: 'COG_DISABLED',
    });
    await openTicket(lootling).expect(503);
    const socket = await connect(t, { token: admin });
    try {
      const refusedJoin = next<Body>(socket, 'error');
      socket.emit('join_ticket', { ticket_id: id });
      expect(await refusedJoin).toMatchObject({
        error: 'TicketSystem cog not loaded',
        error_code: 'COG_DISABLED',
      });
    } finally {
      socket.close();
    }
    // Authentication still comes first.
    await t.http().get('/api/tickets').expect(401);
    const later = new Date(Date.now() + 365 * 86_400_000);
    const job = t.app.get(TicketsLifecycle);
    expect(await job.runOnce(later)).toEqual({ closed: 0, deleted: 0 });
    const list = await cogs();
    expect(list.disabled_count).toBe(1);
    expect(list.cogs.find((cog) => cog.name === 'TicketSystem')).toMatchObject({
      status: 'disabled',
      loaded: false,
      can_load: true,
      can_unload: false,
    });
    // The state is kept in the database: a restarted app still has the cog unloaded.
    const again = await createTestApp({ env: { DATA_DIR: t.dataDir } });
    try {
      const token = await adminToken(again);
      await again.http().get('/api/tickets').set(as(token)).expect(503);
    } finally {
      await again.close();
    }

    const loaded = await t
      .http()
      .post('/api/cogs/load')
      .set(as(admin))
      .send({ cog_name: 'TicketSystem' });
    expect(loaded.status).toBe(200);
    expect(loaded.body.cog).toMatchObject({ name: 'TicketSystem', status: 'loaded' });
    await t.http().get('/api/tickets').set(as(admin)).expect(200);
    expect((await job.runOnce(later)).deleted).toBe(1);
  });

  it('takes the API document form with cog_name in the body', async () => {
    await t
      .http()
      .post('/api/cogs/unload')
      .set(as(admin))
      .send({ cog_name: 'Welcome' })
      .expect(200);
    await t
      .http()
      .post('/api/cogs/unload')
      .set(as(admin))
      .send({ cog_name: 'Welcome' })
      .expect(400);
    await t
      .http()
      .post('/api/cogs/reload')
      .set(as(admin))
      .send({ cog_name: 'Welcome' })
      .expect(400);
    await t.http().post('/api/cogs/load').set(as(admin)).send({ cog_name: 'Welcome' }).expect(200);
    await t
      .http()
      .post('/api/cogs/reload')
      .set(as(admin))
      .send({ cog_name: 'Welcome' })
      .expect(200);
    await t.http().post('/api/cogs/load').set(as(admin)).send({}).expect(400);
  });

  it('serves the log with filters, secrets censored, per cog', async () => {
    await t.http().get('/api/no-such-route?api_key=hunter2-secret-value').expect(404);
    await t.http().get('/api/tickets').set(as(admin)).expect(200);
    const all = await t.http().get('/api/logs?limit=1000').set(as(admin)).expect(200);
    expect(all.body).toMatchObject({
      limit: 1000,
      filters: { cog: '', level: '', search: '' },
    });
    const lines = all.body.logs as Body[];
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const key of ['timestamp', 'level', 'message', 'raw'])
        expect(typeof line[key]).toBe('string');
    }
    expect(JSON.stringify(lines)).not.toContain('hunter2-secret-value');
    expect(all.body.available_cogs).toEqual(expect.arrayContaining(['TicketSystem', 'CogManager']));

    const warnings = await t.http().get('/api/logs?level=warning').set(as(admin)).expect(200);
    expect((warnings.body.logs as Body[]).length).toBeGreaterThan(0);
    expect((warnings.body.logs as Body[]).every((line) => line.level === 'WARNING')).toBe(true);
    expect(warnings.body.filters.level).toBe('WARNING');

    const search = await t.http().get('/api/logs?search=NO-SUCH-ROUTE').set(as(admin)).expect(200);
    expect((search.body.logs as Body[]).length).toBeGreaterThan(0);
    expect((search.body.logs as Body[]).every((l) => String(l.raw).includes('no-such-route'))).toBe(
      true,
    );

    const limited = await t.http().get('/api/logs?limit=2').set(as(admin)).expect(200);
    expect(limited.body.logs).toHaveLength(2);
    expect(limited.body.total).toBeGreaterThanOrEqual(2);

    const cogLogs = await t
      .http()
      .get('/api/cogs/CogManager/logs?limit=3')
      .set(as(admin))
      .expect(200);
    expect(cogLogs.body).toMatchObject({ success: true, cog: 'CogManager' });
    expect(cogLogs.body.logs.length).toBeGreaterThan(0);
    expect(cogLogs.body.logs.length).toBeLessThanOrEqual(3);
    expect(cogLogs.body.count).toBe(cogLogs.body.logs.length);
    for (const line of cogLogs.body.logs as Body[]) {
      expect(line.cog).toBe('CogManager');
      for (const key of ['timestamp', 'level', 'cog', 'message'])
        expect(typeof line[key]).toBe('string');
    }
    const tickets = await t.http().get('/api/logs?cog=ticketsystem').set(as(admin)).expect(200);
    expect(
      (tickets.body.logs as Body[]).some((l) => String(l.message).includes('/api/tickets')),
    ).toBe(true);
    expect((await t.http().get('/api/logs/cogs').set(as(admin)).expect(200)).body.cogs).toContain(
      'TicketSystem',
    );
    await t.http().get('/api/cogs/Nope/logs').set(as(admin)).expect(404);
  });

  it('reports admin stats from the database, and 0 for the guild without a bot', async () => {
    const stats = await t.http().get('/api/admin/stats').set(as(admin)).expect(200);
    expect(stats.body).toEqual({
      bot_uptime: 0,
      total_guilds: 0,
      total_members: 0,
      total_tickets: expect.any(Number),
      open_tickets: expect.any(Number),
    });
    const before = stats.body.total_tickets as number;
    const openBefore = stats.body.open_tickets as number;
    await openTicket(lootling).expect(201);
    const after = await t.http().get('/api/admin/stats').set(as(admin)).expect(200);
    expect(after.body).toMatchObject({ total_tickets: before + 1, open_tickets: openBefore + 1 });
  });

  it('sends a broadcast to every connected socket and stores it', async () => {
    const sockets: Socket[] = [
      await connect(t, { token: admin }),
      await connect(t, { token: lootling }),
    ];
    try {
      const heard = sockets.map((socket) => next<Body>(socket, 'broadcast'));
      const res = await t
        .http()
        .post('/api/admin/broadcast')
        .set(as(admin))
        .send({ title: 'Announcement', message: 'Important update', priority: 'high' })
        .expect(200);
      expect(res.body).toMatchObject({ success: true, delivered_to_sockets: true });
      for (const payload of await Promise.all(heard)) {
        expect(payload).toMatchObject({
          title: 'Announcement',
          message: 'Important update',
          priority: 'high',
          sent_by: 'admin',
        });
      }
      const [{ count }] = await t.dataSource.query<{ count: number }[]>(
        'SELECT COUNT(*) AS count FROM broadcasts',
      );
      expect(Number(count)).toBe(1);
      const bad = await t
        .http()
        .post('/api/admin/broadcast')
        .set(as(admin))
        .send({ title: '', message: 'x', priority: 'urgent' })
        .expect(400);
      expect((bad.body.details as Body[]).map((d) => d.field).sort()).toEqual([
        'priority',
        'title',
      ]);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('answers the assign dialog and the profile screen, password users included', async () => {
    const members = await t.http().get('/api/gaming/members').set(as(admin)).expect(200);
    expect(members.body.total).toBe((members.body.members as Body[]).length);
    expect(members.body.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: '830000000000000001', using_app: true }),
      ]),
    );
    const profile = await t.http().get('/api/user/profile').set(as(admin)).expect(200);
    expect(profile.body).toMatchObject({
      success: true,
      profile: {
        username: 'admin',
        role: 'admin',
        notifications: { changelog_opt_in: false, meme_opt_in: false },
      },
    });
    await t.http().get('/api/user/profile').expect(401);
  });

  it('gives lootlings 403 on every admin route', async () => {
    const calls: [string, string, Body?][] = [
      ['get', '/api/cogs'],
      ['post', '/api/cogs/Welcome/unload'],
      ['post', '/api/cogs/unload', { cog_name: 'Welcome' }],
      ['get', '/api/cogs/Welcome/logs'],
      ['get', '/api/logs'],
      ['get', '/api/logs/cogs'],
      ['get', '/api/admin/stats'],
      ['post', '/api/admin/broadcast', { title: 'x', message: 'y' }],
      ['put', '/api/config/general', { bot_name: 'x' }],
      ['get', '/api/config/audit'],
    ];
    for (const [method, path, body] of calls) {
      const call = t.http()[method as 'get' | 'post' | 'put'](path).set(as(lootling));
      const res = await (body ? call.send(body) : call);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });
});
