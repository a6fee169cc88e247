import Database from 'better-sqlite3';
import { OutboxService } from '../src/core/outbox';
import { InviteCode } from '../src/invites/invite-code.entity';
import { InviteRedemption } from '../src/invites/invite-redemption.entity';
import { createTestApp, DATABASE_KINDS, describeOn, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { TestSmtpServer } from './support/smtp';
import { adminToken, ALL_INVITE_SCOPES, discordMemberToken, partnerKey } from './support/users';

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

describe('Build Crew API, as its guide shows it', () => {
  let t: TestApp;
  let key: string;
  const api = () => t.http();
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        DISCORD_SERVER_INVITE: 'https://discord.gg/your-invite',
        INVITES_GENERATE_PER_MINUTE: '1000',
      },
    });
    key = await partnerKey(t, ALL_INVITE_SCOPES);
  });
  afterAll(() => t.close());

  it('GET /health and GET /test_auth', async () => {
    expect((await api().get('/health').expect(200)).body).toEqual({
      status: 'healthy',
      service: 'Build Crew Bot API',
      timestamp: ISO,
    });
    expect((await api().get('/test_auth').set('X-API-Key', key).expect(200)).body).toEqual({
      status: 'authenticated',
      message: 'API key is valid!',
      service: 'Build Crew Bot API',
      timestamp: ISO,
    });
  });

  it('POST /add_invite_code, with the key in the header or the JSON body, and 409 for a taken code', async () => {
    const res = await api()
      .post('/add_invite_code')
      .set('X-API-Key', key)
      .send({ code: 'CUSTOM123', role: 'BC1', max_uses: 50 })
      .expect(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Invite code added successfully',
      code: 'CUSTOM123',
      role: 'BC1',
      max_uses: 50,
      created_at: ISO,
    });
    await api()
      .post('/add_invite_code')
      .send({ api_key: key, code: 'TEST', role: 'BC1', max_uses: 1 })
      .expect(200);
    const taken = await api()
      .post('/add_invite_code')
      .set('X-API-Key', key)
      .send({ code: 'CUSTOM123', role: 'BC2', max_uses: 1 })
      .expect(409);
    expect(taken.body).toMatchObject({ error: 'Code already exists', code: 409 });
  });

  it('keeps codes case-sensitive', async () => {
    await api()
      .post('/add_invite_code')
      .set('X-API-Key', key)
      .send({ code: 'custom123', role: 'BC1' })
      .expect(200);
    await api()
      .post('/add_invite_code')
      .set('X-API-Key', key)
      .send({ code: 'Custom123', role: 'BC1' })
      .expect(200);
  });

  it('POST /generate_code with the guide body and defaults', async () => {
    const res = await api()
      .post('/generate_code')
      .set('X-API-Key', key)
      .send({ role: 'BC1', max_uses: 1, code_length: 16 })
      .expect(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Invite code generated successfully',
      code: expect.stringMatching(/^[a-z0-9]{16}$/),
      role: 'BC1',
      max_uses: 1,
      created_at: ISO,
    });
    const short = await api()
      .post('/generate_code')
      .set('X-API-Key', key)
      .send({ role: 'BC2', code_length: 8 })
      .expect(200);
    expect(short.body.code).toMatch(/^[a-z0-9]{8}$/);
    const long = await api()
      .post('/generate_code')
      .set('X-API-Key', key)
      .send({ role: 'BC3', code_length: 64, max_uses: 10000 })
      .expect(200);
    expect(long.body).toMatchObject({
      code: expect.stringMatching(/^[a-z0-9]{64}$/),
      max_uses: 10000,
    });
  });

  it.each([
    [{ role: 'BC1', code_length: 7 }, 'code_length'],
    [{ role: 'BC1', code_length: 65 }, 'code_length'],
    [{ role: 'BC1', max_uses: 0 }, 'max_uses'],
    [{ role: 'BC1', max_uses: 10001 }, 'max_uses'],
    [{ role: 'VIP' }, 'role'],
    [{}, 'role'],
  ])('refuses %j on generate_code with 400 naming %s', async (body, field) => {
    const res = await api().post('/generate_code').set('X-API-Key', key).send(body).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('GET /list_codes reports use, what remains and a stable line number', async () => {
    const res = await api().get('/list_codes').set('X-API-Key', key).expect(200);
    expect(res.body).toMatchObject({ total: res.body.codes.length, timestamp: ISO });
    expect(res.body.codes[0]).toEqual({
      code: 'CUSTOM123',
      role: 'BC1',
      max_uses: 50,
      used_count: 0,
      remaining: 50,
      line_number: 1,
    });
    const lines = res.body.codes.map((c: { line_number: number }) => c.line_number);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    await api().get(`/list_codes?api_key=${key}`).expect(200);
  });

  it('GET /stats counts codes and reports the system and cohorts', async () => {
    const res = await api().get('/stats').set('X-API-Key', key).expect(200);
    expect(res.body).toEqual({
      invite_codes: {
        active: expect.any(Number),
        expired: expect.any(Number),
        total: expect.any(Number),
        total_uses: 0,
      },
      system: { max_role_members: 250, development_mode: true, api_enabled: true },
      cohorts: [
        { name: 'BC1', discord_role_id: null, members: 0, capacity: 250, remaining: 250 },
        { name: 'BC2', discord_role_id: null, members: 0, capacity: 250, remaining: 250 },
        { name: 'BC3', discord_role_id: null, members: 0, capacity: 250, remaining: 250 },
      ],
      timestamp: ISO,
    });
    expect(res.body.invite_codes.active + res.body.invite_codes.expired).toBe(
      res.body.invite_codes.total,
    );
  });

  it('POST /accept_user', async () => {
    const res = await api()
      .post('/accept_user')
      .set('X-API-Key', key)
      .send({ email: 'user@example.com', name: 'John Doe' })
      .expect(200);
    const code = res.body.invite_code as string;
    expect(code).toMatch(/^ACCEPT_[a-z0-9]{8}$/);
    expect(res.body).toEqual({
      success: true,
      message: 'Acceptance code generated successfully',
      invite_code: code,
      role: 'BC1',
      max_uses: 1,
      instructions: `Use /invitecode in Discord and enter: ${code}`,
      email_template: {
        subject: 'Welcome to Build Crew BC1!',
        body: expect.stringContaining(`Your code: ${code}`),
      },
      user_info: { email: 'user@example.com', name: 'John Doe', assigned_cohort: 'BC1' },
      created_at: ISO,
    });
    expect(res.body.email_template.body).toContain('https://discord.gg/your-invite');
  });

  it('POST /bulk_accept', async () => {
    const users = [
      { email: 'user1@example.com', name: 'John Doe', cohort: 'BC1' },
      { email: 'user2@example.com', name: 'Jane Doe', cohort: 'BC2' },
      { email: 'user3@example.com', name: 'Bob Smith', cohort: 'BC1' },
    ];
    const res = await api().post('/bulk_accept').set('X-API-Key', key).send({ users }).expect(200);
    expect(res.body).toMatchObject({
      success: true,
      message: 'Generated 3 codes, 0 failed',
      summary: { total_requested: 3, successful: 3, failed: 0 },
      created_at: ISO,
    });
    expect(res.body.results[1]).toEqual({
      success: true,
      invite_code: expect.stringMatching(/^ACCEPT_BC2_[a-z0-9]{6}$/),
      role: 'BC2',
      user_email: 'user2@example.com',
      user_name: 'Jane Doe',
      instructions: expect.stringContaining('Use /invitecode in Discord and enter: ACCEPT_BC2_'),
    });
  });

  it('POST /bulk_email_accept in every list format, skipping repeated addresses', async () => {
    const emails =
      'john@example.com\njane@company.org\nName <user@domain.com>\nbob@test.org,Bob\nJOHN@example.com';
    const res = await api()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .send({ emails, send_emails: false })
      .expect(200);
    expect(res.body).toMatchObject({
      success: true,
      message: 'Processed 4 emails',
      summary: {
        total_processed: 4,
        codes_generated: 4,
        emails_sent: 0,
        email_failures: 0,
        duplicates_skipped: 1,
        assignment_method: 'Auto-overflow from BC1 to next available cohort',
        email_sending_enabled: false,
      },
      discord_info: {
        server_invite: 'https://discord.gg/your-invite',
        server_name: 'Build Crew',
        command_to_use: '/invitecode',
      },
      created_at: ISO,
    });
    expect(res.body.results[2]).toEqual({
      email: 'user@domain.com',
      name: 'Name',
      invite_code: expect.stringMatching(/^BULK_[a-z0-9]{9}$/),
      assigned_to: 'Auto-assigned to next available cohort',
      success: true,
      email_sent: false,
    });
  });

  it('serves the docs with the guide routes under their own tag and the API-key schemes', async () => {
    const { body } = await api().get('/docs-json').expect(200);
    for (const path of [
      '/add_invite_code',
      '/generate_code',
      '/accept_user',
      '/bulk_accept',
      '/bulk_email_accept',
    ]) {
      expect(body.paths[path].post.tags).toEqual(['build-crew']);
      expect(body.paths[path].post.security).toEqual([{ 'api-key': [] }, { 'api-key-query': [] }]);
    }
    expect(body.paths['/list_codes'].get['x-permission']).toBe('invites.read');
  });
});

describe('invite scopes and limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { INVITES_GENERATE_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('checks the scope of every route', async () => {
    const reader = await partnerKey(t, ['invites.read']);
    await t.http().get('/list_codes').set('X-API-Key', reader).expect(200);
    for (const [method, path] of [
      ['post', '/generate_code'],
      ['post', '/add_invite_code'],
      ['post', '/accept_user'],
      ['post', '/bulk_accept'],
      ['post', '/bulk_email_accept'],
      ['get', '/stats'],
    ] as const) {
      const res = await t.http()[method](path).set('X-API-Key', reader).send({});
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('limits generate_code per key with 429 and Retry-After', async () => {
    const writer = await partnerKey(t, ['invites.write']);
    const other = await partnerKey(t, ['invites.write']);
    for (let i = 0; i < 3; i += 1)
      await t
        .http()
        .post('/generate_code')
        .set('X-API-Key', writer)
        .send({ role: 'BC1' })
        .expect(200);
    const limited = await t
      .http()
      .post('/generate_code')
      .set('X-API-Key', writer)
      .send({ role: 'BC1' })
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().post('/generate_code').set('X-API-Key', other).send({ role: 'BC1' }).expect(200);
    await t
      .http()
      .post('/add_invite_code')
      .set('X-API-Key', writer)
      .send({ code: 'NOT-LIMITED', role: 'BC1' })
      .expect(200);
  });
});

describe('bulk requests are all or nothing', () => {
  let t: TestApp;
  let key: string;
  const codeCount = () => t.dataSource.getRepository(InviteCode).count();
  beforeAll(async () => {
    t = await createTestApp();
    key = await partnerKey(t, ALL_INVITE_SCOPES);
  });
  afterAll(() => t.close());

  it('refuses 101 users and stores nothing', async () => {
    const users = Array.from({ length: 101 }, (_, i) => ({ email: `u${i}@example.com` }));
    const res = await t
      .http()
      .post('/bulk_accept')
      .set('X-API-Key', key)
      .send({ users })
      .expect(400);
    expect(res.body.error).toContain('at most 100 users');
    expect(await codeCount()).toBe(0);
    await t
      .http()
      .post('/bulk_accept')
      .set('X-API-Key', key)
      .send({ users: users.slice(0, 100) })
      .expect(200);
    expect(await codeCount()).toBe(100);
  });

  it('refuses 501 addresses and stores nothing', async () => {
    const before = await codeCount();
    const emails = Array.from({ length: 501 }, (_, i) => `person${i}@example.com`).join('\n');
    const res = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .send({ emails })
      .expect(400);
    expect(res.body.error).toBe('Maximum 500 emails per request (got 501)');
    expect(await codeCount()).toBe(before);
  });

  it('accepts 500 addresses at once, each with a code of its own, in the order given', async () => {
    const before = await codeCount();
    const emails = Array.from({ length: 500 }, (_, i) => `Person ${i} <p${i}@example.com>`);
    const res = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .send({ emails: emails.join('\n') })
      .expect(200);
    const results = res.body.results as { email: string; name: string; invite_code: string }[];
    expect(results.map((r) => r.email)).toEqual(emails.map((_, i) => `p${i}@example.com`));
    expect(new Set(results.map((r) => r.invite_code)).size).toBe(500);
    expect(await codeCount()).toBe(before + 500);
    const stored = new Map(
      (await t.dataSource.getRepository(InviteCode).find()).map((c) => [c.code, c.email]),
    );
    for (const r of results) expect(stored.get(r.invite_code)).toBe(r.email);
  });

  it('reports every invalid line and stores nothing', async () => {
    const before = await codeCount();
    const res = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .send({ emails: 'ok@example.com\nnope\nalso ok <a@b.io>\nbad@' })
      .expect(400);
    expect(res.body.details).toEqual([
      { field: 'emails[line 2]', message: 'line 2 is not an e-mail address: nope' },
      { field: 'emails[line 4]', message: 'line 4 is not an e-mail address: bad@' },
    ]);
    expect(await codeCount()).toBe(before);
  });

  it('rolls back every code of a bulk request that fails part-way', async () => {
    const before = await codeCount();
    const users = [{ email: 'a@example.com' }, { email: 'b@example.com', cohort: 'BC9' }];
    const res = await t
      .http()
      .post('/bulk_accept')
      .set('X-API-Key', key)
      .send({ users })
      .expect(400);
    expect(res.body.error_code).toBe('UNKNOWN_COHORT');
    expect(await codeCount()).toBe(before);
  });

  it('answers a retry with the same Idempotency-Key with the first response', async () => {
    const before = await codeCount();
    const body = { emails: 'one@example.com\ntwo@example.com' };
    const first = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .set('Idempotency-Key', 'batch-42')
      .send(body)
      .expect(200);
    const retry = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .set('Idempotency-Key', 'batch-42')
      .send(body)
      .expect(200);
    expect(retry.body).toEqual(first.body);
    expect(await codeCount()).toBe(before + 2);
    const other = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .set('Idempotency-Key', 'batch-42')
      .send({ emails: 'x@example.com' })
      .expect(422);
    expect(other.body.error_code).toBe('IDEMPOTENCY_KEY_REUSED');
    const users = [{ email: 'idem@example.com' }];
    const a = await t
      .http()
      .post('/bulk_accept')
      .set('X-API-Key', key)
      .set('Idempotency-Key', 'users-1')
      .send({ users })
      .expect(200);
    const b = await t
      .http()
      .post('/bulk_accept')
      .set('X-API-Key', key)
      .set('Idempotency-Key', 'users-1')
      .send({ users })
      .expect(200);
    expect(b.body.results[0].invite_code).toBe(a.body.results[0].invite_code);
  });
});

/** A fresh app on `kind` with a partner key, and helpers to add and redeem codes through the API. */
function redemptionContext(kind: 'sqlite' | 'postgres', env: Record<string, string>) {
  const ctx = {
    t: undefined as unknown as TestApp,
    key: '',
    redeem: (code: string, member: string) =>
      ctx.t
        .http()
        .post('/api/invites/redeem')
        .set('X-API-Key', ctx.key)
        .send({ code, discord_user_id: member }),
    add: (code: string, role: string, maxUses: number) =>
      ctx.t
        .http()
        .post('/add_invite_code')
        .set('X-API-Key', ctx.key)
        .send({ code, role, max_uses: maxUses })
        .expect(200),
  };
  beforeAll(async () => {
    ctx.t = await createTestApp({ database: kind, env });
    ctx.key = await partnerKey(ctx.t, ALL_INVITE_SCOPES);
  });
  afterAll(() => ctx.t.close());
  return ctx;
}

for (const kind of DATABASE_KINDS)
  describeOn(kind)(`redemption on ${kind}`, () => {
    const ctx = redemptionContext(kind, { COHORT_ROLE_IDS: 'BC1:500000000000000001' });
    const { redeem, add } = ctx;
    const t = () => ctx.t;

    it('redeems exactly max_uses of 50 concurrent redemptions', async () => {
      await add('RACE', 'BC1', 5);
      const members = Array.from({ length: 50 }, (_, i) => String(600000000000000000n + BigInt(i)));
      const results = await Promise.all(members.map((member) => redeem('RACE', member)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 410)).toHaveLength(45);
      const invite = await t()
        .dataSource.getRepository(InviteCode)
        .findOneByOrFail({ code: 'RACE' });
      expect(invite.usedCount).toBe(5);
      expect(
        await t().dataSource.getRepository(InviteRedemption).countBy({ codeId: invite.id }),
      ).toBe(5);
    });

    it('answers unknown 404, used up 410 and already redeemed 409', async () => {
      await add('ONCE', 'BC2', 2);
      const first = await redeem('ONCE', '610000000000000001').expect(200);
      expect(first.body).toMatchObject({
        success: true,
        code: 'ONCE',
        discord_user_id: '610000000000000001',
        remaining_uses: 1,
      });
      expect((await redeem('ONCE', '610000000000000001').expect(409)).body.error_code).toBe(
        'INVITE_ALREADY_REDEEMED',
      );
      await redeem('ONCE', '610000000000000002').expect(200);
      expect((await redeem('ONCE', '610000000000000003').expect(410)).body.error_code).toBe(
        'INVITE_EXHAUSTED',
      );
      expect((await redeem('NOPE', '610000000000000003').expect(404)).body.error_code).toBe(
        'INVITE_NOT_FOUND',
      );
      expect((await redeem('once', '610000000000000004').expect(404)).body.error_code).toBe(
        'INVITE_NOT_FOUND',
      );
    });

    it('lets a Discord member redeem for themself only', async () => {
      await add('SELF', 'BC1', 3);
      const member = await discordMemberToken(t(), '630000000000000001');
      const res = await t()
        .http()
        .post('/api/invites/redeem')
        .set('Authorization', `Bearer ${member}`)
        .send({ code: 'SELF' })
        .expect(200);
      expect(res.body).toMatchObject({
        discord_user_id: '630000000000000001',
        cohort: 'BC1',
        discord_role_id: '500000000000000001',
      });
      const other = await t()
        .http()
        .post('/api/invites/redeem')
        .set('Authorization', `Bearer ${member}`)
        .send({ code: 'SELF', discord_user_id: '630000000000000002' })
        .expect(403);
      expect(other.body.error_code).toBe('REDEEM_FOR_OTHERS');
      const admin = await adminToken(t());
      const password = await t()
        .http()
        .post('/api/invites/redeem')
        .set('Authorization', `Bearer ${admin}`)
        .send({ code: 'SELF' })
        .expect(400);
      expect(password.body.error_code).toBe('DISCORD_ACCOUNT_REQUIRED');
    });
  });

describe("redemption while another process holds SQLite's write lock", () => {
  const ctx = redemptionContext('sqlite', {});
  const { redeem, add } = ctx;

  it('refuses what the last commit shows at once, and redeems once the lock is gone', async () => {
    await add('FULL', 'BC1', 1);
    await add('OPEN', 'BC1', 5);
    await redeem('FULL', '640000000000000001').expect(200);
    const { target } = ctx.t.config.database;
    if (target.kind !== 'sqlite') throw new Error('not on SQLite');
    const lock = new Database(target.path);
    try {
      lock.exec('BEGIN IMMEDIATE');
      const waiting = redeem('OPEN', '640000000000000002').then((res) => res);
      // Used up, already redeemed and unknown need no write: answered while the lock is held.
      expect((await redeem('FULL', '640000000000000003').expect(410)).body.error_code).toBe(
        'INVITE_EXHAUSTED',
      );
      expect((await redeem('FULL', '640000000000000001').expect(409)).body.error_code).toBe(
        'INVITE_ALREADY_REDEEMED',
      );
      expect((await redeem('MISSING', '640000000000000003').expect(404)).body.error_code).toBe(
        'INVITE_NOT_FOUND',
      );
      expect(lock.inTransaction).toBe(true);
      lock.exec('COMMIT');
      const redeemed = await waiting;
      expect(redeemed.status).toBe(200);
      expect(redeemed.body.remaining_uses).toBe(4);
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    }
  });
});

for (const kind of DATABASE_KINDS)
  describeOn(kind)(`cohort overflow on ${kind}`, () => {
    const ctx = redemptionContext(kind, {
      MAX_ROLE_MEMBERS: '3',
      COHORT_ROLE_IDS: 'BC1:500000000000000001',
    });
    const { redeem, add } = ctx;
    const t = () => ctx.t;

    it('overflows a full cohort to the next with room and opens new cohorts when all are full', async () => {
      await add('FILL', 'BC3', 20);
      await add('FIRST', 'BC1', 20);
      for (let i = 0; i < 4; i += 1)
        await redeem('FIRST', String(621000000000000000n + BigInt(i))).expect(200);
      const cohorts: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const res = await redeem('FILL', String(620000000000000000n + BigInt(i))).expect(200);
        cohorts.push(res.body.cohort);
      }
      expect(cohorts).toEqual(['BC3', 'BC3', 'BC3', 'BC4', 'BC4', 'BC4', 'BC5']);
      const admin = await adminToken(t());
      const fill = await t()
        .http()
        .get('/api/invites/cohorts')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(
        fill.body.cohorts.map((c: { name: string; members: number }) => [c.name, c.members]),
      ).toEqual(
        expect.arrayContaining([
          ['BC3', 3],
          ['BC4', 3],
          ['BC5', 1],
        ]),
      );
      expect(
        fill.body.cohorts.find((c: { name: string }) => c.name === 'BC1').discord_role_id,
      ).toBe('500000000000000001');
    });
  });

describe('admin invite routes', () => {
  let t: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  beforeAll(async () => {
    t = await createTestApp();
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  it('creates, lists with filters and paging, disables and deletes codes', async () => {
    const created = await t
      .http()
      .post('/api/invites')
      .set(auth())
      .send({ cohort: 'BC2', max_uses: 3 })
      .expect(201);
    expect(created.body).toMatchObject({
      cohort: 'BC2',
      max_uses: 3,
      used_count: 0,
      remaining: 3,
      state: 'active',
      source: 'generated',
    });
    for (let i = 0; i < 4; i += 1)
      await t
        .http()
        .post('/api/invites')
        .set(auth())
        .send({ code: `PAGE${i}`, cohort: 'BC1' })
        .expect(201);

    const page = await t
      .http()
      .get('/api/invites?limit=2&offset=1&cohort=BC1')
      .set(auth())
      .expect(200);
    expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.body.codes.map((c: { code: string }) => c.code)).toEqual(['PAGE2', 'PAGE1']);
    expect(
      (await t.http().get('/api/invites?search=PAGE3').set(auth()).expect(200)).body.total,
    ).toBe(1);
    await t.http().get('/api/invites?limit=500').set(auth()).expect(400);

    await t.http().post('/api/invites/PAGE0/disable').set(auth()).expect(200);
    const disabled = await t.http().get('/api/invites?state=disabled').set(auth()).expect(200);
    expect(disabled.body.codes.map((c: { code: string }) => c.code)).toEqual(['PAGE0']);
    const key = await partnerKey(t, ['invites.redeem']);
    const refused = await t
      .http()
      .post('/api/invites/redeem')
      .set('X-API-Key', key)
      .send({ code: 'PAGE0', discord_user_id: '640000000000000001' })
      .expect(410);
    expect(refused.body.error_code).toBe('INVITE_EXPIRED');

    await t
      .http()
      .post('/api/invites/redeem')
      .set('X-API-Key', key)
      .send({ code: 'PAGE1', discord_user_id: '640000000000000001' })
      .expect(200);
    expect(
      (await t.http().delete('/api/invites/PAGE1').set(auth()).expect(409)).body.error_code,
    ).toBe('INVITE_IN_USE');
    await t.http().delete('/api/invites/PAGE2').set(auth()).expect(200);
    await t.http().delete('/api/invites/PAGE2').set(auth()).expect(404);
  });

  it('keeps members out of the admin routes', async () => {
    const member = await discordMemberToken(t, '650000000000000001');
    await t.http().get('/api/invites').set('Authorization', `Bearer ${member}`).expect(403);
    await t
      .http()
      .post('/api/invites')
      .set('Authorization', `Bearer ${member}`)
      .send({ cohort: 'BC1' })
      .expect(403);
  });
});

describe('invitation e-mails', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let key: string;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await createTestApp({
      env: {
        EMAIL_ENABLED: 'true',
        SMTP_SERVER: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        EMAIL_FROM_ADDRESS: 'noreply@buildcrew.example',
        DISCORD_SERVER_NAME: 'Build Crew',
        DISCORD_SERVER_INVITE: 'https://discord.gg/crew',
        OUTBOX_POLL_MS: '50',
        OUTBOX_RETRY_BASE_MS: '50',
      },
    });
    key = await partnerKey(t, ALL_INVITE_SCOPES);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('answers at once with codes and delivers each invitation once, retrying a refused one', async () => {
    smtp.refuseNext = 2;
    const res = await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .send({ emails: 'Ann <ann@example.com>\nben@example.com', send_emails: true })
      .expect(200);
    expect(res.body.summary).toMatchObject({ emails_sent: 2, email_sending_enabled: true });
    const codes = res.body.results.map((r: { invite_code: string }) => r.invite_code);

    await eventually(() => expect(smtp.mails).toHaveLength(2));
    // Nothing more is due: every queued mail has been delivered, once.
    await t.app.get(OutboxService).drain();
    expect(smtp.mails).toHaveLength(2);
    const byRecipient = Object.fromEntries(smtp.mails.map((m) => [m.to[0], m]));
    expect(byRecipient['ann@example.com'].subject).toBe('Welcome to Build Crew BC1!');
    expect(byRecipient['ann@example.com'].raw).toContain(`Your code: ${codes[0]}`);
    expect(byRecipient['ann@example.com'].raw).toContain('https://discord.gg/crew');
    expect(byRecipient['ben@example.com'].raw).toContain(`Your code: ${codes[1]}`);
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).toBe(2);
    const rows = await t.dataSource.query<{ status: string; attempts: number }[]>(
      'SELECT status, attempts FROM outbox_messages',
    );
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    expect(rows.reduce((sum, row) => sum + Number(row.attempts), 0)).toBe(2);
  });

  it('sends nothing without send_emails', async () => {
    const before = smtp.mails.length;
    await t
      .http()
      .post('/bulk_email_accept')
      .set('X-API-Key', key)
      .send({ emails: 'quiet@example.com' })
      .expect(200);
    await t.app.get(OutboxService).drain();
    expect(smtp.mails).toHaveLength(before);
    expect(
      await t.dataSource.query(
        "SELECT id FROM outbox_messages WHERE kind = 'email' AND status <> 'sent'",
      ),
    ).toEqual([]);
  });
});
