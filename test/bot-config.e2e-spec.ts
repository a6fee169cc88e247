import { createTestApp, DATABASE_KINDS, describeOn, type TestApp } from './support/app';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

const CHANNEL = '1429722992857976854';
const BIG_ID = '1433187651191701688'; // above 2^53: JSON.parse alone would round it

for (const kind of DATABASE_KINDS) {
  describeOn(kind)(`bot configuration on ${kind}`, () => {
    let t: TestApp;
    let admin: string;
    let lootling: string;
    let mod: string;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const get = async (path: string, token = admin) =>
      (await t.http().get(`/api/config/${path}`).set(as(token)).expect(200)).body as Body;

    beforeAll(async () => {
      t = await createTestApp({
        database: kind,
        env: {
          TICKET_CATEGORIES: 'Support,Bug',
          TICKETS_CATEGORY_ID: '1429723767445389352',
          TRANSCRIPT_CHANNEL_ID: '1429732029645324359',
          ADMIN_ROLE_ID: '1429722580608225340',
        },
      });
      admin = await adminToken(t);
      lootling = await discordMemberToken(t, '820000000000000001');
      mod = await discordMemberToken(t, '820000000000000002', 'moderator');
    });
    afterAll(() => t.close());

    it('answers every section with its defaults, environment settings included', async () => {
      expect(await get('general')).toMatchObject({
        bot_name: 'Haze World Bot',
        command_prefix: '!',
        presence_update_interval: 3600,
        pink_color: 11342935,
        status_dashboard: { update_interval_minutes: 5, show_monitoring: true },
      });
      expect(await get('channels')).toMatchObject({
        tickets_category_id: '1429723767445389352',
        transcript_channel_id: '1429732029645324359',
        log_channel_id: null,
      });
      expect(await get('roles')).toMatchObject({
        admin_role_id: '1429722580608225340',
        interest_role_ids: [],
      });
      expect(await get('tickets')).toMatchObject({
        categories: ['Support', 'Bug'],
        auto_delete_after_close_days: 7,
        require_claim: false,
      });
      const welcome = await get('welcome');
      expect((welcome.welcome_messages as string[]).length).toBe(10);
      expect((await get('welcome_texts')).welcome_button_replies).toHaveLength(12);
      expect((await get('rocket_league_texts')).congrats_replies).toHaveLength(10);
      expect(await get('rocket_league')).toEqual({
        rank_check_interval_hours: 3,
        rank_cache_ttl_seconds: 10500,
      });
      expect((await get('meme')).meme_sources).toEqual(['reddit', 'lemmy']);
      expect(await get('server_guide')).toMatchObject({ categories: [] });
      expect((await get('server_guide')).fields).toHaveLength(2);
    });

    it('GET /api/config has the app shape for any signed-in user', async () => {
      const res = await t.http().get('/api/config').set(as(lootling)).expect(200);
      const body = res.body as Record<string, Body>;
      for (const key of [
        'general',
        'logging',
        'discord_ids',
        'channels',
        'roles',
        'rocket_league',
        'rocket_league_texts',
        'status_dashboard',
        'meme',
        'daily_meme',
        'welcome',
        'welcome_texts',
        'server_guide',
        'role_names',
      ]) {
        expect(body).toHaveProperty(key);
      }
      expect(body.logging).toEqual({ log_level: 20, cog_log_levels: {} });
      expect(body.channels).not.toHaveProperty('gaming_channel_id');
      expect(body.discord_ids.admin_role_id).toBe('1429722580608225340');
      expect(res.headers.etag).toMatch(/^"/);
      await t.http().get('/api/config').expect(401);
    });

    it('PUT changes only the keys sent, keeps big ids exact, and null clears a picker', async () => {
      const before = await get('channels');
      const res = await t
        .http()
        .put('/api/config/channels')
        .set(as(admin))
        .set('Content-Type', 'application/json')
        // The app sends ids as JSON numbers.
        .send(`{"log_channel_id": ${BIG_ID}, "tickets_category_id": null}`)
        .expect(200);
      expect(res.body).toMatchObject({ success: true, message: 'Channel configuration updated' });
      const after = await get('channels');
      expect(after).toEqual({
        ...before,
        log_channel_id: BIG_ID,
        tickets_category_id: null,
      });
      await t
        .http()
        .put('/api/config/channels')
        .set(as(admin))
        .send({ welcome_public_channel_id: CHANNEL })
        .expect(200);
      expect((await get('channels')).welcome_public_channel_id).toBe(CHANNEL);
    });

    it('refuses a bad value with a 400 naming the field, and stores nothing of that PUT', async () => {
      const before = await get('general');
      const bad = async (body: Body, field: string) => {
        const res = await t.http().put('/api/config/general').set(as(admin)).send(body).expect(400);
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
        return res.body as Body;
      };
      await bad(
        { bot_name: 'Renamed', presence_update_interval: 'soon' },
        'presence_update_interval',
      );
      const dashboard = await bad(
        {
          bot_name: 'Renamed',
          status_dashboard: { update_interval_minutes: 90, show_monitoring: true },
        },
        'status_dashboard.update_interval_minutes',
      );
      expect(dashboard.error).toContain('update_interval_minutes must be between 1 and 60');
      await bad({ bot_name: null }, 'bot_name');
      await bad({ fuzzy_matching_threshold: 1.5 }, 'fuzzy_matching_threshold');
      await bad({ role_names: { user: 5 } }, 'role_names');
      await bad({ unknown_key: 1 }, 'unknown_key');
      const channel = await t
        .http()
        .put('/api/config/channels')
        .set(as(admin))
        .send({ log_channel_id: '12345', meme_channel_id: CHANNEL })
        .expect(400);
      expect(channel.body.details[0].field).toBe('log_channel_id');
      expect(await get('general')).toEqual(before);
      expect((await get('channels')).meme_channel_id).toBeNull();
      const empty = await t.http().put('/api/config/tickets').set(as(admin)).send({}).expect(400);
      expect(empty.body).toMatchObject({ error: 'No data provided', error_code: 'NO_DATA' });
    });

    it('takes ids as strings or numbers in lists and maps', async () => {
      await t
        .http()
        .put('/api/config/roles')
        .set('Content-Type', 'application/json')
        .set(as(admin))
        .send(
          `{"interest_role_ids": [${BIG_ID}, "1429724374746923061"], "interest_roles": {"Gaming": ${BIG_ID}}}`,
        )
        .expect(200);
      expect(await get('roles')).toMatchObject({
        interest_role_ids: [BIG_ID, '1429724374746923061'],
        interest_roles: { Gaming: BIG_ID },
      });
    });

    it('resets only its own section', async () => {
      await t
        .http()
        .put('/api/config/welcome')
        .set(as(admin))
        .send({ welcome_messages: ['Hello {name}'] })
        .expect(200);
      await t
        .http()
        .put('/api/config/rocket_league')
        .set(as(admin))
        .send({ rank_check_interval_hours: 6 })
        .expect(200);
      const reset = await t.http().post('/api/config/welcome/reset').set(as(admin)).expect(200);
      expect(reset.body).toMatchObject({
        success: true,
        message: 'Welcome configuration reset to defaults',
      });
      expect((reset.body.config as Body).welcome_messages).toHaveLength(10);
      expect((await get('welcome')).welcome_messages).toHaveLength(10);
      expect((await get('rocket_league')).rank_check_interval_hours).toBe(6);
      await t.http().post('/api/config/rocket_league/reset').set(as(admin)).expect(200);
      expect((await get('rocket_league')).rank_check_interval_hours).toBe(3);
      // Sections without a reset route in the app have none here.
      await t.http().post('/api/config/meme/reset').set(as(admin)).expect(404);
    });

    it('answers 412 to a stale If-Match, and writes with a current one or none', async () => {
      const first = await t.http().get('/api/config/rocket_league').set(as(admin)).expect(200);
      const etag = first.headers.etag;
      await t
        .http()
        .get('/api/config/rocket_league')
        .set(as(admin))
        .set('If-None-Match', etag)
        .expect(304);
      const saved = await t
        .http()
        .put('/api/config/rocket_league')
        .set(as(admin))
        .set('If-Match', etag)
        .send({ rank_cache_ttl_seconds: 7200 })
        .expect(200);
      expect(saved.headers.etag).not.toBe(etag);
      const stale = await t
        .http()
        .put('/api/config/rocket_league')
        .set(as(admin))
        .set('If-Match', etag)
        .send({ rank_cache_ttl_seconds: 3600 })
        .expect(412);
      expect(stale.body.error_code).toBe('PRECONDITION_FAILED');
      expect((await get('rocket_league')).rank_cache_ttl_seconds).toBe(7200);
      await t
        .http()
        .put('/api/config/rocket_league')
        .set(as(admin))
        .send({ rank_cache_ttl_seconds: 3600 })
        .expect(200);
    });

    it('keeps an audit log of who changed which keys', async () => {
      await t
        .http()
        .put('/api/config/general')
        .set(as(admin))
        .send({ bot_name: 'Guild Bot', command_prefix: '!' })
        .expect(200);
      const res = await t
        .http()
        .get('/api/config/audit?section=general&limit=1')
        .set(as(admin))
        .expect(200);
      expect(res.body.entries).toHaveLength(1);
      expect(res.body.entries[0]).toMatchObject({
        section: 'general',
        action: 'update',
        actor: { name: 'admin' },
        changed_keys: ['bot_name'],
        before: { bot_name: 'Haze World Bot' },
        after: { bot_name: 'Guild Bot' },
      });
      const all = await t.http().get('/api/config/audit').set(as(admin)).expect(200);
      const sections = (all.body.entries as Body[]).map((entry) => entry.section);
      expect(sections).toEqual(expect.arrayContaining(['channels', 'roles', 'welcome']));
      // Nothing was stored by the refused PUTs.
      expect(sections.filter((section) => section === 'general')).toHaveLength(1);
    });

    it('keeps settings across a restart of the app on the same database', async () => {
      if (kind === 'postgres') return; // the scratch schema goes with the app
      const again = await createTestApp({ env: { DATA_DIR: t.dataDir } });
      try {
        const token = await adminToken(again);
        const res = await again.http().get('/api/config/general').set(as(token)).expect(200);
        expect(res.body.bot_name).toBe('Guild Bot');
      } finally {
        await again.close();
      }
    });

    it('lets members read only the ticket settings; staff read, admins write', async () => {
      await get('tickets', lootling);
      for (const path of ['general', 'channels', 'roles', 'meme', 'server_guide', 'audit']) {
        await t.http().get(`/api/config/${path}`).set(as(lootling)).expect(403);
      }
      await t
        .http()
        .put('/api/config/tickets')
        .set(as(lootling))
        .send({ enabled: false })
        .expect(403);
      await t.http().post('/api/config/tickets/reset').set(as(lootling)).expect(403);
      await get('general', mod);
      await t.http().put('/api/config/general').set(as(mod)).send({ bot_name: 'x' }).expect(403);
    });
  });
}
