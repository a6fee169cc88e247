import { connect } from 'node:net';
import { createTestApp, type TestApp } from './support/app';
import { adminToken, ALL_INVITE_SCOPES, discordMemberToken, partnerKey } from './support/users';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('bad input', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { TICKET_COOLDOWN_MINUTES: '0' } });
    admin = await adminToken(t);
  });
  afterAll(() => t.close());

  const ticketCount = async () =>
    Number(
      (await t.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM tickets'))[0]?.n ?? 0,
    );
  const postJson = (path: string, text: string) =>
    t.http().post(path).set(as(admin)).set('Content-Type', 'application/json').send(text);

  describe('deep nesting and huge containers', () => {
    const closed = (open: string, close: string, n: number) =>
      `${open.repeat(n)}${open === '[' ? '' : '1'}${close.repeat(n)}`;
    const cases: [string, string][] = [
      ['[ ×100,000, unterminated', '['.repeat(100_000)],
      ['[ ×100,000, closed', closed('[', ']', 100_000)],
      ['{"a": ×20,000, unterminated', '{"a":'.repeat(20_000)],
      ['{"a": ×20,000, closed', closed('{"a":', '}', 20_000)],
      ['33 levels', `{"subject":${closed('[', ']', 32)}}`],
      ['an array of 10,001 entries', `{"subject":[${Array(10_001).fill(0).join(',')}]}`],
    ];
    it.each(cases)('answers %s with 400 MALFORMED_JSON and stores nothing', async (_, body) => {
      const before = await ticketCount();
      const res = await postJson('/api/tickets', body).expect(400);
      expect(res.body).toMatchObject({ code: 400, error_code: 'MALFORMED_JSON' });
      expect(typeof res.body.error).toBe('string');
      expect(await ticketCount()).toBe(before);
    });

    it('names the limit it hit', async () => {
      const res = await postJson('/api/tickets', closed('[', ']', 40)).expect(400);
      expect(res.body.error).toBe('Request body is nested deeper than 32 levels');
    });

    it('reads brackets inside strings as text, escaped quotes too', async () => {
      const subject = '[[[[{{{{'.repeat(5) + '\\"]]]';
      const res = await postJson(
        '/api/tickets',
        JSON.stringify({ type: 'Support', subject, description: 'Brackets are text.' }),
      ).expect(201);
      expect(res.body.ticket_id).toEqual(expect.any(String));
    });

    it('answers the same on a route with a small DTO, a login', async () => {
      await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(closed('[', ']', 100_000))
        .expect(400);
    });
  });

  describe('well-formed text', () => {
    const cases: [string, string, string][] = [
      ['a NUL in a subject', '"subject":"Help\\u0000me"', 'subject'],
      [
        'a lone high surrogate in a description',
        '"description":"Broken \\ud83d text"',
        'description',
      ],
      ['a lone low surrogate in a subject', '"subject":"\\ude00 alone"', 'subject'],
    ];
    it.each(cases)(
      'refuses %s with 400 naming the field, and stores nothing',
      async (_, part, field) => {
        const before = await ticketCount();
        const body = `{"type":"Support","subject":"Fine","description":"Fine text.",${part}}`;
        const res = await postJson('/api/tickets', body).expect(400);
        expect(res.body).toMatchObject({ code: 400, error_code: 'VALIDATION_FAILED' });
        expect(res.body.details).toEqual([
          { field, message: `${field} must be text without NUL characters or lone surrogates` },
        ]);
        expect(await ticketCount()).toBe(before);
      },
    );

    it('refuses a NUL in a chat message and a login name too', async () => {
      const opened = await t
        .http()
        .post('/api/tickets')
        .set(as(admin))
        .send({ type: 'Support', subject: 'Text', description: 'Checking messages.' })
        .expect(201);
      await postJson(
        `/api/tickets/${opened.body.ticket_id}/messages`,
        '{"content":"nul \\u0000 here"}',
      ).expect(400);
      const messages = await t
        .http()
        .get(`/api/tickets/${opened.body.ticket_id}/messages`)
        .set(as(admin))
        .expect(200);
      expect(JSON.stringify(messages.body)).not.toContain('nul ');
      await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"username":"adm\\u0000in","password":"x"}')
        .expect(400);
    });

    it('keeps emoji and other well-formed pairs', async () => {
      const res = await postJson(
        '/api/tickets',
        JSON.stringify({ type: 'Support', subject: 'Emoji 😀 ok', description: 'Pairs: 𝄞 ✓' }),
      ).expect(201);
      const ticket = await t.http().get(`/api/tickets/${res.body.ticket_id}`).set(as(admin));
      expect(JSON.stringify(ticket.body)).toContain('Emoji 😀 ok');
    });
  });

  describe('one Discord id rule', () => {
    let key: string;
    beforeAll(async () => {
      key = await partnerKey(t, ALL_INVITE_SCOPES);
      await t
        .http()
        .post('/add_invite_code')
        .set('X-API-Key', key)
        .send({ code: 'ID-RULE', role: 'BC1', max_uses: 100 })
        .expect(200);
    });
    const redeemRaw = (member: string) =>
      t
        .http()
        .post('/api/invites/redeem')
        .set('X-API-Key', key)
        .set('Content-Type', 'application/json')
        .send(`{"code":"ID-RULE","discord_user_id":${member}}`);
    const uses = async () =>
      Number(
        (
          await t.dataSource.query<{ n: number }[]>(
            "SELECT used_count AS n FROM invite_codes WHERE code = 'ID-RULE'",
          )
        )[0]?.n,
      );

    it.each([
      ['"12345"'],
      ['"1234567890123456"'], // 16 digits
      ['"123456789012345678901"'], // 21 digits
      ['"99999999999999999999"'], // past 2^64
      ['"12345678901234567a"'],
      ['1.5e18'],
      ['12345'],
      ['true'],
    ])('refuses discord_user_id %s with 400 naming the field, and redeems nothing', async (id) => {
      const res = await redeemRaw(id).expect(400);
      expect(res.body.error_code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        {
          field: 'discord_user_id',
          message: 'discord_user_id must be a Discord id: 17 to 20 digits',
        },
      ]);
      expect(await uses()).toBe(0);
    });

    it('takes 17 to 20 digits as a string, or as an exact JSON number, and answers a string', async () => {
      for (const id of ['12345678901234567', '18446744073709551615']) {
        const res = await redeemRaw(`"${id}"`).expect(200);
        expect(res.body.discord_user_id).toBe(id);
      }
      const res = await redeemRaw('123456789012345678').expect(200);
      expect(res.body.discord_user_id).toBe('123456789012345678');
      expect(await uses()).toBe(3);
    });

    it('holds for the people a ticket names: claim and assign', async () => {
      const opened = await t
        .http()
        .post('/api/tickets')
        .set(as(admin))
        .send({ type: 'Support', subject: 'Ids', description: 'Checking ids.' })
        .expect(201);
      const id = opened.body.ticket_id as string;
      for (const bad of ['12345', '1234567890123456', 'nobody'])
        await t
          .http()
          .post(`/api/tickets/${id}/claim`)
          .set(as(admin))
          .send({ user_id: bad })
          .expect(400);
      await t
        .http()
        .post(`/api/tickets/${id}/assign`)
        .set(as(admin))
        .send({ assigned_to: '1234567890123456' })
        .expect(400);
      const unchanged = await t.http().get(`/api/tickets/${id}`).set(as(admin)).expect(200);
      expect(unchanged.body).toMatchObject({ status: 'Open', claimed_by: null, assigned_to: null });

      // A password admin claims with the discord_id /auth/me gives them, as the app sends it.
      const me = await t.http().get('/api/auth/me').set(as(admin)).expect(200);
      expect(me.body.discord_id).toBe('legacy_user');
      await t
        .http()
        .post(`/api/tickets/${id}/claim`)
        .set(as(admin))
        .send({ user_id: 'legacy_user' })
        .expect(200);
      await t
        .http()
        .post(`/api/tickets/${id}/assign`)
        .set('Content-Type', 'application/json')
        .set(as(admin))
        .send('{"assigned_to":850000000000000001}')
        .expect(200);
      // From a Discord user, legacy_user names nobody.
      const moderator = await discordMemberToken(t, '851000000000000001', 'moderator');
      const refused = await t
        .http()
        .post(`/api/tickets/${id}/assign`)
        .set(as(moderator))
        .send({ assigned_to: 'legacy_user' })
        .expect(400);
      expect(refused.body.error_code).toBe('NOT_A_PASSWORD_USER');
      const claimed = await t.http().get(`/api/tickets/${id}`).set(as(admin)).expect(200);
      expect(claimed.body).toMatchObject({ status: 'Claimed', assigned_to: '850000000000000001' });
      expect(claimed.body.claimed_by).not.toBe('legacy_user');
      expect(claimed.body.claimed_by).toEqual(expect.any(String));
    });
  });

  describe('missing fields', () => {
    it('answers one message per missing field at login', async () => {
      const res = await t.http().post('/api/auth/login').send({}).expect(400);
      expect(res.body.error_code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        { field: 'username', message: 'username is required' },
        { field: 'password', message: 'password is required' },
      ]);
      expect(res.body.error).toBe('username is required; password is required');
    });

    it('keeps the rule for a field that is there but wrong', async () => {
      const res = await t.http().post('/api/auth/login').send({ username: 5 }).expect(400);
      const fields = (res.body.details as { field: string; message: string }[]).filter(
        (d) => d.field === 'username',
      );
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.every((d) => d.message !== 'username is required')).toBe(true);
      expect(res.body.details).toContainEqual({
        field: 'password',
        message: 'password is required',
      });
    });

    it('answers null in a required field as missing, and a ticket without a subject', async () => {
      const before = await ticketCount();
      const res = await t
        .http()
        .post('/api/tickets')
        .set(as(admin))
        .send({ type: 'Support', subject: null, description: 'No subject.' })
        .expect(400);
      expect(res.body.details).toContainEqual({
        field: 'subject',
        message: 'subject is required',
      });
      expect(await ticketCount()).toBe(before);
    });
  });
});

describe('requests Node refuses before routing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { REQUEST_TIMEOUT_MS: '600' } });
  });
  afterAll(() => t.close());

  /** Writes raw bytes (at once, or `rest` after `pauseMs`) and reads the whole answer. */
  const raw = (first: string, rest?: { pauseMs: number; text: string }) =>
    new Promise<{ status: number; headers: string; body: unknown; ms: number }>(
      (resolve, reject) => {
        const started = Date.now();
        const { port } = new URL(t.url);
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(first);
          if (rest) later = setTimeout(() => socket.write(rest.text), rest.pauseMs);
        });
        let later: NodeJS.Timeout | undefined;
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('error', reject);
        socket.on('close', () => {
          clearTimeout(later);
          const [head = '', body = ''] = answer.split('\r\n\r\n');
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
            headers: head.toLowerCase(),
            body: body ? JSON.parse(body) : undefined,
            ms: Date.now() - started,
          });
        });
      },
    );

  it('answers headers too large with 431 and the JSON error body', async () => {
    const res = await raw(
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/json');
    expect(res.body).toEqual({
      error: 'The request headers are too large',
      code: 431,
      error_code: 'HEADERS_TOO_LARGE',
    });
    expect(t.logs.text()).toContain('Refused a request before routing');
  });

  it('answers a bad request line with 400 and the JSON error body', async () => {
    const res = await raw('NOT A REQUEST\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'The request could not be parsed',
      code: 400,
      error_code: 'BAD_REQUEST',
    });
  });

  it('answers a body slower than REQUEST_TIMEOUT_MS with 408, and stores nothing', async () => {
    const token = await adminToken(t);
    const res = await raw(
      'POST /api/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${token}\r\nContent-Length: 200\r\n\r\n{"type":"Sup`,
      { pauseMs: 2_000, text: 'port"}' },
    );
    expect(res.status).toBe(408);
    expect(res.body).toEqual({
      error: 'The request took too long to arrive',
      code: 408,
      error_code: 'REQUEST_TIMEOUT',
    });
    expect(res.ms).toBeLessThan(2_000);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM tickets');
    expect(Number(n)).toBe(0);
  });

  it('still answers a normal request on the same server', async () => {
    await t.http().get('/api/health').expect(200);
  });
});
