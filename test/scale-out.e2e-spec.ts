import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createScratchDatabase, type ScratchDatabase } from '../src/core/database';
import { postgresUrl } from './support/app';
import { installed, Nginx, RedisServer } from './support/cluster';
import { type DiscordWorld, member, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { GuildhallProcess } from './support/guildhall-process';

const nginxBinary = installed('nginx');
const redisBinary = installed('redis-server');
const ready = postgresUrl && nginxBinary && redisBinary;

/**
 * Two instances as built (`dist/`), each its own process, on one PostgreSQL schema and a Redis of
 * the suite's own, behind nginx with the committed locations. The cases run in order: the last one
 * kills an instance.
 */
(ready ? describe : describe.skip)('two instances behind nginx', () => {
  let dir: string;
  let scratch: ScratchDatabase;
  let redis: RedisServer;
  let world: DiscordWorld;
  let a: GuildhallProcess;
  let b: GuildhallProcess;
  let nginx: Nginx;
  let admin: string;
  const sockets: Socket[] = [];

  const env = (name: string, timeZone: string): Record<string, string> => ({
    ...world.env,
    DATABASE_URL: postgresUrl as string,
    DB_SCHEMA: scratch.database.schema as string,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'scale:',
    INSTANCE_ID: name,
    // The instances disagree about local time; the stored instants must not.
    TZ: timeZone,
    TRUST_PROXY: 'loopback',
    LEASE_TTL_MS: '3000',
    OUTBOX_LOCK_MS: '3000',
    OUTBOX_POLL_MS: '200',
    LOGIN_RATE_LIMIT_PER_USER: '6',
    LOGIN_RATE_LIMIT_PER_IP: '1000',
    COHORT_ROLE_IDS: 'BC1:130000000000000003',
  });
  const call = async (
    base: string,
    method: string,
    path: string,
    options: { token?: string; apiKey?: string; body?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['X-API-Key'] = options.apiKey;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };
  const socketTo = (base: string, token: string): Promise<Socket> => {
    const socket = io(base, { transports: ['websocket'], auth: { token }, reconnection: true });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };
  const joinTicket = async (socket: Socket, ticketId: string) => {
    const history = new Promise((resolve) => socket.once('message_history', resolve));
    socket.emit('join_ticket', { ticket_id: ticketId });
    await history;
  };
  const heard = (socket: Socket, content: string) =>
    new Promise<void>((resolve) => {
      const listener = (event: { message: { content: string } }) => {
        if (event.message.content !== content) return;
        socket.off('new_message', listener);
        resolve();
      };
      socket.on('new_message', listener);
    });
  const openTicket = async (base: string, token: string) => {
    const res = await call(base, 'POST', '/api/tickets', {
      token,
      body: { type: 'Support', subject: 'Scale', description: 'Two instances, one answer.' },
    });
    expect(res.status).toBe(201);
    return res.body.ticket_id as string;
  };
  const upstreamsIn = (from: number, pattern: RegExp) =>
    readFileSync(nginx.accessLog, 'utf8')
      .split('\n')
      .slice(from)
      .filter((line) => pattern.test(line))
      .map((line) => line.split(' ')[0]);
  const logLines = () => readFileSync(nginx.accessLog, 'utf8').split('\n').length - 1;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-scale-'));
    scratch = await createScratchDatabase('postgres', postgresUrl);
    redis = await RedisServer.start(redisBinary as string);
    world = await startDiscordWorld();
    for (const name of ['a', 'b']) mkdirSync(join(dir, name, 'data'), { recursive: true });
    // A first: it migrates the schema and takes the lease; B finds both done.
    a = await GuildhallProcess.start(join(dir, 'a', 'data'), env('instance-a', 'America/New_York'));
    b = await GuildhallProcess.start(join(dir, 'b', 'data'), env('instance-b', 'Asia/Tokyo'));
    nginx = await Nginx.start(nginxBinary as string, join(dir, 'nginx'), [
      a.server.port,
      b.server.port,
    ]);
    admin = await a.login();
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    world?.discord.releaseStalled();
    await nginx?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await world?.stop();
    await redis?.stop();
    await scratch?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has one owner of the gateway, named alike by both instances', async () => {
    await eventually(async () => {
      const fromA = await call(a.url, 'GET', '/api/health');
      const fromB = await call(b.url, 'GET', '/api/health');
      expect(fromA.body).toMatchObject({ instance: 'instance-a', owner: 'instance-a' });
      expect(fromB.body).toMatchObject({ instance: 'instance-b', owner: 'instance-a' });
    });
    expect(world.gateway.identified).toHaveLength(1);
  });

  it('stores instants: instances in different time zones read the same times', async () => {
    const id = await openTicket(a.url, admin);
    const viaA = await call(a.url, 'GET', `/api/tickets/${id}`, { token: admin });
    const viaB = await call(b.url, 'GET', `/api/tickets/${id}`, { token: admin });
    const created = viaA.body.created_at as string;
    expect(viaB.body.created_at).toBe(created);
    expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(60_000);
  });

  it('delivers a message posted through B to a socket on A, and through nginx', async () => {
    const id = await openTicket(nginx.url, admin);
    const onA = await socketTo(a.url, admin);
    const viaNginx = await socketTo(nginx.url, admin);
    await joinTicket(onA, id);
    await joinTicket(viaNginx, id);
    const arrived = Promise.all([heard(onA, 'from B'), heard(viaNginx, 'from B')]);
    expect(
      (
        await call(b.url, 'POST', `/api/tickets/${id}/messages`, {
          token: admin,
          body: { content: 'from B' },
        })
      ).status,
    ).toBe(200);
    await arrived;
  });

  it('keeps 200 concurrent redemptions through nginx exact, served by both instances', async () => {
    const key = await call(nginx.url, 'POST', '/api/api-keys', {
      token: admin,
      body: { name: 'Partner', scopes: ['invites.write', 'invites.redeem', 'invites.read'] },
    });
    expect(key.status).toBe(201);
    const apiKey = key.body.key as string;
    expect(
      (
        await call(nginx.url, 'POST', '/add_invite_code', {
          apiKey,
          body: { code: 'SCALE', role: 'BC1', max_uses: 37 },
        })
      ).status,
    ).toBe(200);
    const from = logLines();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(nginx.url, 'POST', '/api/invites/redeem', {
          apiKey,
          body: { code: 'SCALE', discord_user_id: String(700000000000000000n + BigInt(i)) },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(37);
    expect(statuses.filter((s) => s === 410)).toHaveLength(163);
    const served = new Set(upstreamsIn(from, /\/api\/invites\/redeem/));
    expect(served).toEqual(new Set([`127.0.0.1:${a.server.port}`, `127.0.0.1:${b.server.port}`]));
  });

  it('honours a logout on A on B at once', async () => {
    const token = await a.login();
    expect((await call(b.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
    expect((await call(a.url, 'POST', '/api/auth/logout', { token })).status).toBe(200);
    expect((await call(b.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('shares a per-user login budget between the instances', async () => {
    const from = logLines();
    const attempt = (base: string) =>
      call(base, 'POST', '/api/auth/login', {
        body: { username: 'budget-user', password: 'not-the-password' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await attempt(nginx.url)).status);
    // Six attempts, wherever they landed, use up the budget of six.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    expect(new Set(upstreamsIn(from, /\/api\/auth\/login/)).size).toBe(2);
    // Either instance, asked directly, refuses the next one.
    for (const instance of [a, b]) expect((await attempt(instance.url)).status).toBe(429);
  });

  it('recovers by itself when Redis restarts: chat crosses instances again, the owner stays', async () => {
    await redis.stop();
    await redis.start();
    const id = await openTicket(a.url, admin);
    const onA = await socketTo(a.url, admin);
    await joinTicket(onA, id);
    await eventually(async () => {
      const content = `after restart ${Date.now()}`;
      const arrived = heard(onA, content);
      await call(b.url, 'POST', `/api/tickets/${id}/messages`, { token: admin, body: { content } });
      await Promise.race([
        arrived,
        new Promise((_, reject) => setTimeout(() => reject(new Error('not heard on A')), 1000)),
      ]);
    }, 20_000);
    // Redis came back empty: A writes the lease again at its next renewal, and B's view follows.
    await eventually(
      async () =>
        expect((await call(b.url, 'GET', '/api/health')).body).toMatchObject({
          owner: 'instance-a',
        }),
      10_000,
    );
    expect((await call(a.url, 'GET', '/api/health')).body).toMatchObject({ owner: 'instance-a' });
    expect(world.gateway.identified).toHaveLength(1);
  });

  it('after kill -9 of the owner: B takes the gateway, answers commands, and delivers its outbox once', async () => {
    const id = await openTicket(a.url, admin);
    // The ticket's Discord channel exists once the outbox has delivered its creation.
    const channelId = await eventually(async () => {
      const ticket = (await call(a.url, 'GET', `/api/tickets/${id}`, { token: admin })).body;
      if (typeof ticket.channel_id !== 'string') throw new Error('no channel yet');
      return ticket.channel_id;
    }, 20_000);
    // A posts the mirrored message; Discord creates it but A dies before hearing back.
    world.discord.stallMessagePosts = true;
    const content = 'mirrored exactly once';
    expect(
      (
        await call(a.url, 'POST', `/api/tickets/${id}/messages`, {
          token: admin,
          body: { content },
        })
      ).status,
    ).toBe(200);
    const inChannel = () =>
      (world.discord.messages.get(channelId) ?? []).filter((m) => m.content.includes(content));
    await eventually(() => expect(inChannel()).toHaveLength(1));
    await a.kill();
    world.discord.releaseStalled();

    // The lease's time to live, an attempt period and the login, well within 15 s.
    await eventually(async () => {
      expect((await call(b.url, 'GET', '/api/health')).body).toMatchObject({
        owner: 'instance-b',
      });
      expect(world.gateway.identified).toHaveLength(2);
    }, 15_000);
    const token = world.gateway.slashCommand('server-guide', {}, member(2));
    await eventually(() => world.discord.answerTo(token), 10_000);

    // B delivers the message A left claimed once its lock ends; Discord's nonce keeps it single.
    await eventually(() => {
      const posts = world.discord.calls.filter(
        (c) => c.method === 'POST' && c.path.endsWith(`/channels/${channelId}/messages`),
      );
      expect(posts.filter((c) => c.body.includes(content)).length).toBeGreaterThanOrEqual(2);
    }, 15_000);
    expect(inChannel()).toHaveLength(1);
    // Through nginx, B answers alone.
    expect((await call(nginx.url, 'GET', '/api/health')).body).toMatchObject({
      instance: 'instance-b',
    });
  });
});
