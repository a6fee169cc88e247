import Database from 'better-sqlite3';
import type { QueryRunner } from 'typeorm';
import { Client } from 'pg';
import { HotSql, TransactionRunner } from '../src/core/database';
import { Metrics } from '../src/core/metrics';
import {
  createTestApp,
  DATABASE_KINDS,
  describeOn,
  postgresUrl,
  redisUrl,
  sharedRedis,
  TEST_ADMIN_PASSWORD,
  type TestApp,
} from './support/app';
import { connect, next } from './support/sockets';
import { adminToken, ALL_INVITE_SCOPES, discordMemberToken, partnerKey } from './support/users';

/** Counts the statements the app sends outside transactions: hot SQL and TypeORM's own. */
function statementCounter(t: TestApp): () => number {
  let count = 0;
  const hot = t.app.get(HotSql);
  for (const method of ['rows', 'cachedRows'] as const) {
    const read = hot[method].bind(hot);
    jest.spyOn(hot, method).mockImplementation((sql, params) => {
      count += 1;
      return read(sql, params);
    });
  }
  const runner = t.dataSource.driver.createQueryRunner('master');
  if (t.config.database.target.kind === 'sqlite') {
    const query = runner.query.bind(runner);
    jest.spyOn(runner, 'query').mockImplementation(((sql: string, params?: unknown[]) => {
      count += 1;
      return query(sql, params);
    }) as QueryRunner['query']);
  }
  return () => count;
}

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

for (const kind of DATABASE_KINDS) {
  describeOn(kind)(`hot reads on ${kind}`, () => {
    let t: TestApp;
    let admin: string;
    let member: string;
    beforeAll(async () => {
      t = await createTestApp({
        database: kind,
        env: { TICKET_COOLDOWN_MINUTES: '0', RATE_LIMIT_PER_MINUTE: '100000' },
      });
      admin = await adminToken(t);
      member = await discordMemberToken(t, '850000000000000001');
    });
    afterAll(() => t.close());
    afterEach(() => jest.restoreAllMocks());

    const open = async (token: string, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i += 1) {
        const res = await t
          .http()
          .post('/api/tickets')
          .set(as(token))
          .send({ type: 'Support', subject: `Hot ${i}`, description: 'Counting statements.' })
          .expect(201);
        ids.push(res.body.ticket_id as string);
        await t
          .http()
          .post(`/api/tickets/${res.body.ticket_id}/messages`)
          .set(as(admin))
          .send({ content: `reply ${i}` })
          .expect(200);
      }
      return ids;
    };
    const statementsOf = async (run: () => Promise<unknown>) => {
      const count = statementCounter(t);
      const before = count();
      await run();
      const used = count() - before;
      jest.restoreAllMocks();
      return used;
    };

    it('authenticates a warm session without a statement', async () => {
      await t.http().get('/api/ping').set(as(admin)).expect(200);
      expect(await statementsOf(() => t.http().get('/api/ping').set(as(admin)).expect(200))).toBe(
        0,
      );
    });

    it('lists tickets, shows one and its history in a fixed number of statements', async () => {
      await open(member, 2);
      const list = () => t.http().get('/api/tickets').set(as(admin)).expect(200);
      const mine = () => t.http().get('/api/tickets/my').set(as(member)).expect(200);
      await list();
      const few = { list: await statementsOf(list), mine: await statementsOf(mine) };
      const ids = await open(member, 12);
      const many = { list: await statementsOf(list), mine: await statementsOf(mine) };
      expect(many).toEqual(few);
      expect(few.list).toBeLessThanOrEqual(2);
      expect(few.mine).toBeLessThanOrEqual(2);
      const listed = await list();
      expect(listed.body.total).toBe(14);
      expect(listed.body.tickets[0]).toMatchObject({
        ticket_id: ids[11],
        last_message: 'reply 11',
        unread_count: 0,
      });
      expect((await mine()).body.tickets[0]).toMatchObject({ unread_count: 1 });

      expect(
        await statementsOf(() =>
          t.http().get(`/api/tickets/${ids[3]}`).set(as(member)).expect(200),
        ),
      ).toBeLessThanOrEqual(2);
      const socket = await connect(t, { token: member });
      try {
        const history = next<{ messages: unknown[] }>(socket, 'message_history');
        const used = await statementsOf(async () => {
          socket.emit('join_ticket', { ticket_id: ids[3] });
          await history;
        });
        expect(used).toBeLessThanOrEqual(2);
        expect((await history).messages).toHaveLength(1);
      } finally {
        socket.close();
      }
    });

    it('answers a list read again from memory on SQLite, and never after the database changed', async () => {
      const ids = await open(member, 2);
      const list = async () =>
        (await t.http().get('/api/tickets?limit=100').set(as(admin)).expect(200)).body as {
          total: number;
          tickets: { ticket_id: string; subject: string; last_message: string }[];
        };
      const hitCount = async () =>
        (await t.app.get(Metrics).databaseReadCache.get()).values.find(
          (v) => v.labels.result === 'hit',
        )?.value ?? 0;
      const shown = async (id: string) => (await list()).tickets.find((x) => x.ticket_id === id);
      await list();
      const before = await hitCount();
      await list();
      if (kind === 'sqlite') expect(await hitCount()).toBeGreaterThan(before);

      // Through the API: a message and a new ticket.
      await t
        .http()
        .post(`/api/tickets/${ids[0]}/messages`)
        .set(as(admin))
        .send({ content: 'fresh reply' })
        .expect(200);
      expect(await shown(ids[0])).toMatchObject({ last_message: 'fresh reply' });
      const total = (await list()).total;
      await open(member, 1);
      expect((await list()).total).toBe(total + 1);

      // On TypeORM's connection, outside any transaction.
      await t.dataSource.query(
        `UPDATE tickets SET subject = 'Renamed here' WHERE id = '${ids[0]}'`,
      );
      expect(await shown(ids[0])).toMatchObject({ subject: 'Renamed here' });

      // From another connection: another process, such as an import or a restore.
      const other = `UPDATE tickets SET subject = 'Renamed elsewhere' WHERE id = '${ids[1]}'`;
      if (t.config.database.target.kind === 'sqlite') {
        const db = new Database(t.config.database.target.path);
        try {
          db.exec(other);
        } finally {
          db.close();
        }
      } else {
        const client = new Client({ connectionString: t.config.database.target.url });
        await client.connect();
        try {
          const { schema } = t.config.database;
          if (schema) await client.query(`SET search_path TO "${schema}"`);
          await client.query(other);
        } finally {
          await client.end();
        }
      }
      expect(await shown(ids[1])).toMatchObject({ subject: 'Renamed elsewhere' });
    });

    it('redeems exactly max_uses of 1,000 concurrent redemptions, once per member', async () => {
      const key = await partnerKey(t, ALL_INVITE_SCOPES);
      await t
        .http()
        .post('/add_invite_code')
        .set('X-API-Key', key)
        .send({ code: `HOT-${kind}`, role: 'BC1', max_uses: 100 })
        .expect(200);
      const statuses = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          t
            .http()
            .post('/api/invites/redeem')
            .set('X-API-Key', key)
            .send({
              code: `HOT-${kind}`,
              discord_user_id: String(860000000000000000n + BigInt(i % 990)),
            })
            .then((res) => res.status),
        ),
      );
      const count = (status: number) => statuses.filter((s) => s === status).length;
      expect(count(200)).toBe(100);
      expect(count(200) + count(409) + count(410)).toBe(1000);
      const [{ used }] = await t.dataSource.query<{ used: number }[]>(
        `SELECT used_count AS used FROM invite_codes WHERE code = 'HOT-${kind}'`,
      );
      expect(Number(used)).toBe(100);
    }, 60_000); // a thousand connections at once overflow the listen backlog: SYN retries take seconds
  });
}

describe('the SQLite read cache', () => {
  it("checks the database once per turn of the event loop, and at once after this process's own writes", async () => {
    const t = await createTestApp({ database: 'sqlite' });
    const path = t.config.database.target.kind === 'sqlite' ? t.config.database.target.path : '';
    const other = new Database(path);
    try {
      const hot = t.app.get(HotSql);
      await t.dataSource.query(
        "INSERT INTO ticket_sequence (name, next_value) VALUES ('probe', 1)",
      );
      const read = () =>
        hot.cachedRows("SELECT next_value FROM ticket_sequence WHERE name = 'probe'", []);
      const value = async () => Number((await read())[0][0]);
      expect(await value()).toBe(1);

      // Another process's commit: the turn that read the version keeps its reading.
      const first = read();
      other.exec("UPDATE ticket_sequence SET next_value = 2 WHERE name = 'probe'");
      const sameTurn = read();
      expect(Number((await first)[0][0])).toBe(1);
      expect(Number((await sameTurn)[0][0])).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(await value()).toBe(2);

      // This process's own writes are seen by the very next read, in a transaction or not.
      await t.dataSource.query("UPDATE ticket_sequence SET next_value = 3 WHERE name = 'probe'");
      expect(await value()).toBe(3);
      await t.app
        .get(TransactionRunner)
        .run((manager) =>
          manager.query("UPDATE ticket_sequence SET next_value = 4 WHERE name = 'probe'"),
        );
      expect(await value()).toBe(4);
    } finally {
      other.close();
      await t.close();
    }
  });
});

describe('session activity', () => {
  it('writes nothing for plain GETs on a warm session, and activity at most once per interval', async () => {
    const t = await createTestApp({ env: { SESSION_TOUCH_INTERVAL_MS: '60000' } });
    const path = t.config.database.target.kind === 'sqlite' ? t.config.database.target.path : '';
    const observer = new Database(path, { readonly: true });
    try {
      const token = await adminToken(t);
      await t.http().get('/api/tickets').set(as(token)).expect(200);
      const version = () => observer.pragma('data_version', { simple: true }) as number;
      const before = version();
      for (let i = 0; i < 20; i += 1) await t.http().get('/api/tickets').set(as(token)).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the batch's gathering
      expect(version()).toBe(before);
    } finally {
      observer.close();
      await t.close();
    }
  });
});

const describeShared = postgresUrl && redisUrl ? describe : describe.skip;

describeShared('revocation across two instances on one PostgreSQL and one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const redis = sharedRedis();
    a = await createTestApp({
      database: 'postgres',
      env: { ...redis, AUTH_CACHE_TTL_MS: '600000' },
    });
    b = await createTestApp({
      env: {
        DATABASE_URL: postgresUrl as string,
        DB_SCHEMA: a.config.database.schema as string,
        ...redis,
        AUTH_CACHE_TTL_MS: '600000',
      },
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const login = async (t: TestApp) =>
    (
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
        .expect(200)
    ).body.token as string;
  /** Polls until instance `t` answers `status` to the token (pub/sub is asynchronous). */
  const answers = async (t: TestApp, token: string, path: string, status: number) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const res = await t.http().get(path).set(as(token));
      if (res.status === status) return;
      if (Date.now() > deadline) throw new Error(`${path} still answers ${res.status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('ends a session on the other instance at logout and refresh', async () => {
    const token = await login(a);
    await b.http().get('/api/tickets').set(as(token)).expect(200); // warm on b
    await a.http().post('/api/auth/logout').set(as(token)).expect(200);
    await answers(b, token, '/api/tickets', 401);

    const other = await login(b);
    await a.http().get('/api/tickets').set(as(other)).expect(200); // warm on a
    await b.http().post('/api/auth/refresh').set(as(other)).expect(200);
    await answers(a, other, '/api/tickets', 401);
  });

  it('applies a role change, a ban and a deletion on the other instance', async () => {
    const member = await discordMemberToken(a, '870000000000000001', 'moderator');
    await b.http().get('/api/tickets').set(as(member)).expect(200); // staff list, warm on b
    const admin = await login(a);
    await a
      .http()
      .patch('/api/users/870000000000000001')
      .set(as(admin))
      .send({ role: 'lootling' })
      .expect(200);
    // A lootling may still list (their own) tickets, but no longer see users.
    await answers(b, member, '/api/users/870000000000000001', 403);

    await a
      .http()
      .patch('/api/users/870000000000000001')
      .set(as(admin))
      .send({ banned: true })
      .expect(200);
    await answers(b, member, '/api/tickets', 401);

    const doomed = await discordMemberToken(a, '870000000000000002');
    await b.http().get('/api/tickets').set(as(doomed)).expect(200);
    await a.http().delete('/api/users/870000000000000002').set(as(admin)).expect(200);
    await answers(b, doomed, '/api/tickets', 401);
  });
});
