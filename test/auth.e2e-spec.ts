import jwt from 'jsonwebtoken';
import { ApiKey } from '../src/auth/api-key.entity';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { AuthService } from '../src/auth/auth.service';
import { Session } from '../src/auth/session.entity';
import { createTestApp, TEST_ADMIN_PASSWORD, TEST_SECRET_KEY, type TestApp } from './support/app';
import { FakeDiscord } from './support/fake-discord';
import { ProbeModule } from './support/probe.module';

const ADMIN_ROLE = '300000000000000003';
const MOD_ROLE = '300000000000000004';
const FRONTEND = 'https://admin.example.com/';

describe('identity', () => {
  let t: TestApp;
  let discord: FakeDiscord;

  beforeAll(async () => {
    discord = await new FakeDiscord().start();
    t = await createTestApp({
      imports: [ProbeModule],
      env: {
        API_EXTRA_USERS: 'helper:helper-pass-123',
        API_KEY: 'legacy-partner-key-0123456789',
        DISCORD_API_BASE: discord.base,
        DISCORD_CLIENT_ID: discord.clientId,
        DISCORD_CLIENT_SECRET: discord.clientSecret,
        DISCORD_REDIRECT_URI: 'https://guildhall.example.com/api/discord/callback',
        DISCORD_GUILD_ID: discord.guildId,
        ADMIN_ROLE_ID: ADMIN_ROLE,
        MODERATOR_ROLE_ID: MOD_ROLE,
        DISCORD_OAUTH_FRONTEND_URL: FRONTEND,
        JWT_REFRESH_GRACE: '1h',
        LOGIN_RATE_LIMIT_PER_IP: '1000',
        LOGIN_RATE_LIMIT_PER_USER: '1000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await discord.stop();
  });

  const login = async (username = 'admin', password = TEST_ADMIN_PASSWORD) => {
    const res = await t.http().post('/api/auth/login').send({ username, password }).expect(200);
    return res.body.token as string;
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const claimsOf = (token: string) => jwt.decode(token) as Record<string, unknown>;
  const sign = (claims: Record<string, unknown>, secret = TEST_SECRET_KEY) =>
    jwt.sign(claims, secret, { algorithm: 'HS256' });
  const now = () => Math.floor(Date.now() / 1000);

  /** Runs the whole OAuth flow for a Discord user and returns the issued token. */
  const discordLogin = async (id: string, roles: string[] | null, source = 'web') => {
    const code = discord.addUser({ id, username: `user${id.slice(-4)}`, avatar: 'abc123' }, roles);
    const auth = await t.http().get(`/api/discord/auth?state=${source}`).expect(200);
    const state = new URL(auth.body.auth_url).searchParams.get('state');
    return t.http().get('/api/discord/callback').query({ code, state });
  };
  const tokenFromRedirect = (location: string) =>
    new URL(location).searchParams.get('token') as string;

  describe('password login', () => {
    it('answers with a token and the seed fields', async () => {
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
        .expect(200);
      expect(res.body).toEqual({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        user: 'admin',
        role: 'admin',
        discord_id: 'legacy_user',
        permissions: ['all'],
      });
      const claims = claimsOf(res.body.token);
      expect(claims).toMatchObject({
        user: 'admin',
        role: 'admin',
        auth_type: 'legacy',
        permissions: ['all'],
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(7 * 24 * 3600);
      const me = await t.http().get('/api/auth/me').set(bearer(res.body.token)).expect(200);
      expect(me.body).toEqual({
        user: 'admin',
        discord_id: 'legacy_user',
        role: 'admin',
        role_name: null,
        permissions: ['all'],
        auth_type: 'legacy',
        avatar_url: null,
      });
    });

    it('lets extra users from API_EXTRA_USERS log in', async () => {
      const token = await login('helper', 'helper-pass-123');
      await t.http().get('/api/users/me').set(bearer(token)).expect(200);
    });

    it('refuses a wrong password or an unknown user with 401', async () => {
      for (const body of [
        { username: 'admin', password: 'wrong' },
        { username: 'nobody', password: TEST_ADMIN_PASSWORD },
        { username: 'helper', password: TEST_ADMIN_PASSWORD },
      ]) {
        const res = await t.http().post('/api/auth/login').send(body).expect(401);
        expect(res.body).toEqual({
          error: 'Invalid credentials',
          code: 401,
          error_code: 'INVALID_CREDENTIALS',
        });
      }
    });

    it('records the session with the client headers', async () => {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set({
          'X-Platform': 'Android',
          'X-Device-Info': 'Google Pixel 9',
          'X-App-Version': '2025.12.17+19',
          'X-Session-ID': '1734444444444_1',
        })
        .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
        .expect(200);
      const session = await t.dataSource
        .getRepository(Session)
        .findOneByOrFail({ id: claimsOf(res.body.token).jti as string });
      expect(session).toMatchObject({
        platform: 'Android',
        deviceInfo: 'Google Pixel 9',
        appVersion: '2025.12.17+19',
        clientSessionId: '1734444444444_1',
        revokedAt: null,
        ip: '127.0.0.1',
      });
      expect(claimsOf(res.body.token).session_id).toBe('1734444444444_1');
    });
  });

  describe('tokens', () => {
    let token: string;
    beforeAll(async () => {
      token = await login();
    });

    it('answers 401 with HazeBot messages for missing, empty and malformed tokens', async () => {
      expect((await t.http().get('/api/auth/me').expect(401)).body).toMatchObject({
        error: 'Token is missing',
        error_code: 'TOKEN_MISSING',
      });
      expect(
        (await t.http().get('/api/auth/me').set('Authorization', 'Bearer ').expect(401)).body.error,
      ).toBe('Token is empty');
      expect(
        (await t.http().get('/api/auth/me').set('Authorization', 'Bearer abc').expect(401)).body
          .error,
      ).toBe('token_invalid');
    });

    it('verifies a token for nginx auth_request by GET and POST', async () => {
      const res = await t.http().post('/api/auth/verify-token').set(bearer(token)).expect(200);
      expect(res.body).toMatchObject({ valid: true, user: 'admin', role: 'admin' });
      await t.http().get('/api/auth/verify-token').set(bearer(token)).expect(200);
      await t
        .http()
        .get('/api/auth/verify-token')
        .set(bearer(`${token}x`))
        .expect(401);
    });

    it('refuses alg none', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(claimsOf(token))).toString('base64url');
      const res = await t
        .http()
        .get('/api/auth/me')
        .set(bearer(`${header}.${payload}.`))
        .expect(401);
      expect(res.body.error).toBe('token_invalid');
    });

    it('refuses a token signed with another secret', async () => {
      const forged = sign(claimsOf(token), 'another-secret-of-at-least-32-characters!!');
      expect((await t.http().get('/api/auth/me').set(bearer(forged)).expect(401)).body.error).toBe(
        'token_invalid',
      );
    });

    it('refuses a token without exp', async () => {
      const { exp: _exp, ...claims } = claimsOf(token);
      expect(
        (
          await t
            .http()
            .get('/api/auth/me')
            .set(bearer(sign(claims)))
            .expect(401)
        ).body.error,
      ).toBe('token_invalid');
    });

    it('refuses an expired token', async () => {
      const expired = sign({ ...claimsOf(token), exp: now() - 10 });
      const res = await t.http().get('/api/auth/me').set(bearer(expired)).expect(401);
      expect(res.body).toMatchObject({ error: 'token_expired', error_code: 'TOKEN_EXPIRED' });
    });

    it('refuses a token whose role claim was changed', async () => {
      const lootling = tokenFromRedirect(
        (await discordLogin('400000000000000010', [])).headers.location,
      );
      const [header, , signature] = lootling.split('.');
      const claims = { ...claimsOf(lootling), role: 'admin', permissions: ['all'] };
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      await t.http().get('/api/auth/me').set(bearer(tampered)).expect(401);
      await t.http().get('/__probe/auth/tickets').set(bearer(lootling)).expect(403);
    });

    it('refuses a token after logout', async () => {
      const own = await login();
      await t
        .http()
        .post('/api/auth/logout')
        .set(bearer(own))
        .expect(200, { message: 'Logged out successfully' });
      const res = await t.http().get('/api/auth/me').set(bearer(own)).expect(401);
      expect(res.body.error_code).toBe('SESSION_ENDED');
    });

    it('answers /api/ping without a token, with a valid one, and refuses an invalid one', async () => {
      expect((await t.http().get('/api/ping').expect(200)).body).toMatchObject({
        success: true,
        message: 'pong',
      });
      const res = await t.http().get('/api/ping').set(bearer(token)).expect(200);
      expect(res.body).toMatchObject({
        your_username: 'admin',
        your_role: 'admin',
        your_permissions: ['all'],
      });
      await t.http().get('/api/ping').set(bearer('a.b.c')).expect(401);
    });
  });

  describe('refresh', () => {
    it('rotates a valid token: the new one works and the old one is dead', async () => {
      const old = await login();
      const res = await t
        .http()
        .post('/api/auth/refresh')
        .set(bearer(old))
        .set('Content-Type', 'application/json')
        .expect(200);
      expect(res.body).toMatchObject({
        user: 'admin',
        discord_id: 'legacy_user',
        role: 'admin',
        permissions: ['all'],
      });
      expect(res.body.token.split('.')).toHaveLength(3);
      expect(claimsOf(res.body.token).session_id).toBe(claimsOf(old).session_id);
      await t.http().get('/api/auth/me').set(bearer(res.body.token)).expect(200);
      await t.http().get('/api/auth/me').set(bearer(old)).expect(401);
      await t.http().post('/api/auth/refresh').set(bearer(old)).expect(401);
    });

    it('accepts a token that expired within the grace window, and not one past it', async () => {
      const fresh = await login();
      const recentlyExpired = sign({ ...claimsOf(fresh), exp: now() - 60 });
      await t.http().get('/api/auth/me').set(bearer(recentlyExpired)).expect(401);
      const res = await t.http().post('/api/auth/refresh').set(bearer(recentlyExpired)).expect(200);
      await t.http().get('/api/auth/me').set(bearer(res.body.token)).expect(200);

      const other = await login();
      const longExpired = sign({ ...claimsOf(other), exp: now() - 3600 - 60 });
      const refused = await t.http().post('/api/auth/refresh').set(bearer(longExpired)).expect(401);
      expect(refused.body.error).toBe('token_expired');
    });

    it('lets exactly one of several concurrent refreshes of one token win', async () => {
      const token = await login();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => t.http().post('/api/auth/refresh').set(bearer(token))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    });

    it('keeps a Discord session a Discord session', async () => {
      const token = tokenFromRedirect(
        (await discordLogin('400000000000000011', [MOD_ROLE])).headers.location,
      );
      const res = await t.http().post('/api/auth/refresh').set(bearer(token)).expect(200);
      expect(claimsOf(res.body.token).auth_type).toBe('discord');
      expect(res.body.discord_id).toBe('400000000000000011');
    });
  });

  describe('users', () => {
    it('takes a lowered role away at once', async () => {
      const res = await discordLogin('400000000000000020', [ADMIN_ROLE]);
      const staff = tokenFromRedirect(res.headers.location);
      await t.http().get('/api/users/400000000000000020').set(bearer(staff)).expect(200);

      const admin = await login();
      const updated = await t
        .http()
        .patch('/api/users/400000000000000020')
        .set(bearer(admin))
        .send({ role: 'lootling' })
        .expect(200);
      expect(updated.body).toMatchObject({
        role: 'lootling',
        permissions: ['memes.generate', 'meme_generator', 'invites.redeem'],
      });

      const denied = await t
        .http()
        .get('/api/users/400000000000000020')
        .set(bearer(staff))
        .expect(403);
      expect(denied.body).toEqual({
        error: 'Insufficient permissions',
        code: 403,
        error_code: 'INSUFFICIENT_PERMISSIONS',
      });
      expect((await t.http().get('/api/auth/me').set(bearer(staff)).expect(200)).body.role).toBe(
        'lootling',
      );
    });

    it('ends every session of a banned user and of a deleted one', async () => {
      const admin = await login();
      const banned = tokenFromRedirect(
        (await discordLogin('400000000000000021', [])).headers.location,
      );
      await t
        .http()
        .patch('/api/users/400000000000000021')
        .set(bearer(admin))
        .send({ banned: true })
        .expect(200);
      await t.http().get('/api/auth/me').set(bearer(banned)).expect(401);

      const deleted = tokenFromRedirect(
        (await discordLogin('400000000000000022', [])).headers.location,
      );
      await t.http().delete('/api/users/400000000000000022').set(bearer(admin)).expect(200);
      await t.http().get('/api/auth/me').set(bearer(deleted)).expect(401);
      await t.http().get('/api/users/400000000000000022').set(bearer(admin)).expect(404);
    });

    it('lets only users.read holders read other users', async () => {
      const lootling = tokenFromRedirect(
        (await discordLogin('400000000000000023', [])).headers.location,
      );
      const me = await t.http().get('/api/users/me').set(bearer(lootling)).expect(200);
      expect(me.body).toEqual({
        user_id: '400000000000000023',
        username: 'user0023',
        discriminator: '0',
        avatar: 'https://cdn.discordapp.com/avatars/400000000000000023/abc123.png',
        role: 'lootling',
        permissions: ['memes.generate', 'meme_generator', 'invites.redeem'],
      });
      await t.http().get('/api/users/400000000000000020').set(bearer(lootling)).expect(403);
    });
  });

  describe('Discord OAuth2', () => {
    it('hands out an authorize URL on DISCORD_API_BASE with a signed state', async () => {
      const res = await t.http().get('/api/discord/auth').expect(200);
      const url = new URL(res.body.auth_url);
      expect(`${url.origin}${url.pathname}`).toBe(`${discord.base}/v10/oauth2/authorize`);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        client_id: discord.clientId,
        redirect_uri: 'https://guildhall.example.com/api/discord/callback',
        response_type: 'code',
        scope: 'identify guilds.members.read',
      });
      expect(url.searchParams.get('state')).toMatch(/^web\.[0-9a-f]{32}\.\d+\.[\w-]+$/);
    });

    it('logs a guild member in and redirects to the web app with a token', async () => {
      const res = await discordLogin('400000000000000030', [MOD_ROLE]);
      expect(res.status).toBe(302);
      expect(res.headers.location.startsWith(`${FRONTEND}?token=`)).toBe(true);
      const token = tokenFromRedirect(res.headers.location);
      const me = await t.http().get('/api/auth/me').set(bearer(token)).expect(200);
      expect(me.body).toMatchObject({
        discord_id: '400000000000000030',
        role: 'mod',
        auth_type: 'discord',
      });
      expect(me.body.permissions).toEqual(expect.arrayContaining(['tickets.read', 'tickets_read']));
      expect(me.body.permissions).not.toContain('all');
      const exchange = discord.calls.filter((c) => c.path === '/api/v10/oauth2/token').pop();
      expect(Object.fromEntries(new URLSearchParams(exchange?.body))).toMatchObject({
        grant_type: 'authorization_code',
        redirect_uri: 'https://guildhall.example.com/api/discord/callback',
        client_id: discord.clientId,
      });
    });

    it('sends the mobile app to its deep link', async () => {
      const res = await discordLogin('400000000000000031', [], 'mobile');
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^hazebot:\/\/oauth\?token=[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('refuses a user who is not a member of the guild with 403', async () => {
      const res = await discordLogin('400000000000000032', null);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: 'User is not a member of the guild',
        code: 403,
        error_code: 'NOT_GUILD_MEMBER',
      });
    });

    it('refuses a profile whose id is not a Discord id, and creates no user', async () => {
      const res = await discordLogin('12345', []);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 400, error_code: 'OAUTH_PROFILE_FAILED' });
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        "SELECT COUNT(*) AS n FROM users WHERE discord_id = '12345'",
      );
      expect(Number(n)).toBe(0);
    });

    it('refuses a missing, forged or replayed state with 400', async () => {
      const user = { id: '400000000000000033', username: 'replayer' };
      discord.addUser(user, []);
      const missing = await t
        .http()
        .get('/api/discord/callback')
        .query({ code: discord.codeFor(user) })
        .expect(400);
      expect(missing.body.error_code).toBe('OAUTH_STATE_INVALID');

      const auth = await t.http().get('/api/discord/auth').expect(200);
      const state = new URL(auth.body.auth_url).searchParams.get('state') as string;
      const forged = state.replace(/^web\./, 'ios.');
      await t
        .http()
        .get('/api/discord/callback')
        .query({ code: discord.codeFor(user), state: forged })
        .expect(400);
      await t
        .http()
        .get('/api/discord/callback')
        .query({ code: discord.codeFor(user), state: 'mobile' })
        .expect(400);

      await t
        .http()
        .get('/api/discord/callback')
        .query({ code: discord.codeFor(user), state })
        .expect(302);
      const replay = await t
        .http()
        .get('/api/discord/callback')
        .query({ code: discord.codeFor(user), state })
        .expect(400);
      expect(replay.body.error).toBe('OAuth state was already used; start the login again');
    });

    it('refuses a callback without a code and a code Discord rejects', async () => {
      const auth = await t.http().get('/api/discord/auth').expect(200);
      const state = new URL(auth.body.auth_url).searchParams.get('state') as string;
      expect(
        (await t.http().get('/api/discord/callback').query({ state }).expect(400)).body.error,
      ).toBe('No authorization code provided');
      const bad = await t
        .http()
        .get('/api/discord/callback')
        .query({ code: 'not-a-code', state })
        .expect(400);
      expect(bad.body.error).toBe('Failed to obtain access token');
    });
  });

  describe('API keys', () => {
    let admin: string;
    beforeAll(async () => {
      admin = await login();
    });
    const createKey = async (scopes: string[], name = 'Partner CRM') =>
      (await t.http().post('/api/api-keys').set(bearer(admin)).send({ name, scopes }).expect(201))
        .body;

    it('shows a key once and stores only its hash', async () => {
      const created = await createKey(['invites.read', 'invites.write']);
      expect(created).toMatchObject({
        name: 'Partner CRM',
        scopes: ['invites.read', 'invites.write'],
        status: 'active',
      });
      expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
      const listed = await t.http().get('/api/api-keys').set(bearer(admin)).expect(200);
      const entry = listed.body.keys.find((k: { id: string }) => k.id === created.id);
      expect(entry.key).toBeUndefined();
      const row = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: created.id });
      expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(created.key);
    });

    it('accepts a key in the header, the query and the JSON body', async () => {
      const { key } = await createKey(['invites.write']);
      await t.http().get('/test_auth').set('X-API-Key', key).expect(200);
      const viaQuery = await t.http().get(`/test_auth?api_key=${key}`).expect(200);
      expect(viaQuery.body).toMatchObject({
        status: 'authenticated',
        message: 'API key is valid!',
        service: 'Build Crew Bot API',
      });
      const viaBody = await t
        .http()
        .post('/__probe/auth/partner')
        .send({ api_key: key, code: 'X1' })
        .expect(200);
      expect(viaBody.body).toEqual({ key: 'Partner CRM', body: { code: 'X1' } });
    });

    it('keeps the legacy API_KEY working with every invites scope', async () => {
      await t
        .http()
        .post('/__probe/auth/partner')
        .set('X-API-Key', 'legacy-partner-key-0123456789')
        .send({ code: 'L' })
        .expect(200);
    });

    it('refuses wrong, revoked and expired keys, and a missing one', async () => {
      expect(
        (await t.http().get('/test_auth').set('X-API-Key', 'gh_nope_nope').expect(401)).body
          .error_code,
      ).toBe('API_KEY_INVALID');
      expect((await t.http().get('/test_auth').expect(401)).body).toEqual({
        error: 'API key required',
        code: 401,
        error_code: 'API_KEY_MISSING',
      });

      const revoked = await createKey(['invites.read']);
      await t.http().delete(`/api/api-keys/${revoked.id}`).set(bearer(admin)).expect(200);
      expect(
        (await t.http().get('/test_auth').set('X-API-Key', revoked.key).expect(401)).body
          .error_code,
      ).toBe('API_KEY_REVOKED');

      const expired = await createKey(['invites.read']);
      await t.dataSource
        .getRepository(ApiKey)
        .update(expired.id, { expiresAt: new Date(Date.now() - 1000) });
      expect(
        (await t.http().get('/test_auth').set('X-API-Key', expired.key).expect(401)).body
          .error_code,
      ).toBe('API_KEY_EXPIRED');
    });

    it('refuses a key without the route scope with 403', async () => {
      const { key } = await createKey(['invites.read']);
      const res = await t
        .http()
        .post('/__probe/auth/partner')
        .set('X-API-Key', key)
        .send({ code: 'X' })
        .expect(403);
      expect(res.body).toMatchObject({
        error: 'API key lacks the invites.write scope',
        error_code: 'API_KEY_SCOPE_MISSING',
      });
    });

    it('refuses a header and a query key that disagree', async () => {
      const a = await createKey(['invites.read']);
      const b = await createKey(['invites.read']);
      const res = await t
        .http()
        .get(`/test_auth?api_key=${b.key}`)
        .set('X-API-Key', a.key)
        .expect(401);
      expect(res.body.error_code).toBe('API_KEY_CONFLICT');
    });

    it('rotates a key: the old secret dies, the new one works', async () => {
      const created = await createKey(['invites.read']);
      const rotated = await t
        .http()
        .post(`/api/api-keys/${created.id}/rotate`)
        .set(bearer(admin))
        .expect(200);
      expect(rotated.body.id).toBe(created.id);
      await t.http().get('/test_auth').set('X-API-Key', created.key).expect(401);
      await t.http().get('/test_auth').set('X-API-Key', rotated.body.key).expect(200);
    });

    it('never grants a scope its creator lacks', async () => {
      const mod = tokenFromRedirect(
        (await discordLogin('400000000000000040', [MOD_ROLE])).headers.location,
      );
      await t
        .http()
        .post('/api/api-keys')
        .set(bearer(mod))
        .send({ name: 'x', scopes: ['invites.read'] })
        .expect(403);
      const principal = await t.app.get(AuthService).authenticate(mod);
      await expect(
        t.app
          .get(ApiKeysService)
          .create(principal, { name: 'x', scopes: ['invites.write'], expiresAt: null }),
      ).rejects.toMatchObject({ code: 'SCOPE_NOT_GRANTABLE', status: 403 });
    });

    it('validates a new key', async () => {
      const res = await t
        .http()
        .post('/api/api-keys')
        .set(bearer(admin))
        .send({ name: '', scopes: ['tickets.delete'] })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'name',
        'scopes',
      ]);
    });

    it('keeps user tokens and keys apart', async () => {
      const { key } = await createKey(['invites.read']);
      await t.http().get('/test_auth').set(bearer(admin)).expect(401);
      await t.http().get('/api/auth/me').set('X-API-Key', key).expect(401);
    });

    it('never writes a query key to the logs', async () => {
      const { key } = await createKey(['invites.read']);
      const res = await t.http().get(`/test_auth?api_key=${key}`).expect(200);
      const [line] = t.logs.forRequest(res.headers['x-request-id']);
      expect((line.req as { url: string }).url).toBe('/test_auth?api_key=[redacted]');
      expect(t.logs.text()).not.toContain(key);
    });
  });
});

describe('Discord OAuth2 with DISCORD_OAUTH_LEGACY_STATE', () => {
  it('accepts the plain state=mobile of the unchanged app', async () => {
    const discord = await new FakeDiscord().start();
    const t = await createTestApp({
      env: {
        DISCORD_API_BASE: discord.base,
        DISCORD_CLIENT_ID: discord.clientId,
        DISCORD_CLIENT_SECRET: discord.clientSecret,
        DISCORD_REDIRECT_URI: 'https://guildhall.example.com/api/discord/callback',
        DISCORD_GUILD_ID: discord.guildId,
        DISCORD_OAUTH_LEGACY_STATE: 'true',
      },
    });
    try {
      const code = discord.addUser({ id: '400000000000000050', username: 'android' }, []);
      const res = await t
        .http()
        .get('/api/discord/callback')
        .query({ code, state: 'mobile' })
        .expect(302);
      expect(res.headers.location).toMatch(/^hazebot:\/\/oauth\?token=/);
      // Without a frontend URL the web flow answers with JSON, as the app's exchangeDiscordCode expects.
      const web = await t
        .http()
        .get('/api/discord/callback')
        .query({
          code: discord.codeFor({ id: '400000000000000050', username: 'android' }),
          state: 'web',
        })
        .expect(200);
      expect(web.body).toMatchObject({
        user: 'android',
        role: 'lootling',
        discord_user: { id: '400000000000000050' },
      });
    } finally {
      await t.close();
      await discord.stop();
    }
  });
});

describe('rate limits', () => {
  it('answers login attempts beyond the per-username limit with 429 and Retry-After', async () => {
    const t = await createTestApp({
      env: { LOGIN_RATE_LIMIT_PER_USER: '3', LOGIN_RATE_LIMIT_PER_IP: '5' },
    });
    try {
      for (let i = 0; i < 3; i += 1)
        await t
          .http()
          .post('/api/auth/login')
          .send({ username: 'admin', password: 'x' })
          .expect(401);
      const limited = await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
        .expect(429);
      expect(limited.body).toMatchObject({ code: 429, error_code: 'TOO_MANY_REQUESTS' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another username from the same address still has attempts, until the per-address limit.
      await t.http().post('/api/auth/login').send({ username: 'other', password: 'x' }).expect(401);
      await t.http().post('/api/auth/login').send({ username: 'third', password: 'x' }).expect(429);
    } finally {
      await t.close();
    }
  });

  it('gives every user their own request budget', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const token = (
        await t
          .http()
          .post('/api/auth/login')
          .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
          .expect(200)
      ).body.token;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1)
        statuses.push(
          (await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`)).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await t.close();
    }
  });
});
