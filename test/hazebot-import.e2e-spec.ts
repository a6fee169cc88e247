import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createScratchDatabase, type ScratchDatabase } from '../src/core/database/scratch-database';
import {
  createTestApp,
  DATABASE_KINDS,
  describeOn,
  postgresUrl,
  type TestApp,
} from './support/app';
import { cleanEnv, ROOT, runToExit } from './support/process';
import { adminToken } from './support/users';

const FIXTURE = join(__dirname, 'fixtures', 'hazebot-data');
const ANN = '1424815723476160533';
const BOB = '283733417575219200';

/** Every table the import writes to; a second run must leave each exactly as it was. */
const TABLES = [
  'users',
  'config_sections',
  'config_audit',
  'push_tokens',
  'notification_settings',
  'rl_accounts',
  'tickets',
  'ticket_sequence',
  'invite_codes',
  'cohorts',
  'imported_members',
  'analytics_users',
  'analytics_daily',
  'analytics_day_sessions',
  'analytics_day_users',
  'analytics_sessions',
  'analytics_errors',
  'import_ledger',
];

/** A copy of the fixture Data/ folder, with analytics.db built from its SQL as HazeBot made it. */
function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-hazebot-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const db = new Database(join(dir, 'analytics.db'));
  db.exec(readFileSync(join(dir, 'analytics.sql'), 'utf8'));
  db.close();
  rmSync(join(dir, 'analytics.sql'));
  return dir;
}

/** What points Guildhall at a scratch database. */
function envOf(scratch: ScratchDatabase): Record<string, string> {
  const { target, schema } = scratch.database;
  return target.kind === 'sqlite'
    ? { SQLITE_PATH: target.path }
    : { DATABASE_URL: target.url, DB_SCHEMA: schema as string };
}

for (const kind of DATABASE_KINDS) {
  describeOn(kind)(`npm run hazebot:import on ${kind}`, () => {
    let dir: string;
    let scratch: ScratchDatabase;
    let databaseEnv: Record<string, string>;

    beforeAll(async () => {
      dir = dataFolder();
      scratch = await createScratchDatabase(kind, postgresUrl);
      databaseEnv = envOf(scratch);
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await scratch.dispose();
    });

    const run = (folder: string, ...flags: string[]) =>
      runToExit('npm', ['run', '--silent', 'hazebot:import', '--', folder, ...flags], {
        cwd: ROOT,
        env: cleanEnv({
          ...databaseEnv,
          DATA_DIR: join(dir, 'guildhall'),
          API_ADMIN_PASS: 'admin-password-for-the-import',
          // No summer time there: the expected UTC times hold all year.
          TIMEZONE: 'Asia/Kolkata',
        }),
      });

    const withApp = async <T>(
      work: (t: TestApp) => Promise<T>,
      env: Record<string, string> = databaseEnv,
    ): Promise<T> => {
      const t = await createTestApp({ env });
      try {
        return await work(t);
      } finally {
        await t.close();
      }
    };

    /** Every row of the import's tables, in a stable order. */
    const snapshot = () =>
      withApp(async (t) => {
        const rows: Record<string, unknown[]> = {};
        for (const table of TABLES)
          rows[table] = await t.dataSource.query(`SELECT * FROM "${table}" ORDER BY 1, 2`);
        return rows;
      });

    it('a dry run reads, checks and counts everything and writes nothing', async () => {
      const before = await snapshot();
      const dry = await run(dir, '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('dry run: nothing was written');
      expect(dry.stdout).toMatch(/config: 40 settings to import, 3 already present/);
      expect(dry.stdout).toMatch(/analytics: 7 sessions, days and error groups to import/);
      expect(await snapshot()).toEqual(before);
    });

    it('imports every part, reports what it skipped and mapped, and a second run changes nothing', async () => {
      const first = await run(dir);
      expect(first.code).toBe(0);
      const out = first.stdout;
      expect(out).toContain('config: 40 settings imported, 3 already present, 4 skipped');
      expect(out).toContain(
        'skipped api_config_overrides.json general.PRESENCE_UPDATE_INTERVAL: also set as presence_update_interval, which is used',
      );
      expect(out).toContain(
        'skipped api_config_overrides.json xp_config: levels and XP are not part of Guildhall',
      );
      expect(out).toContain(
        'mapped daily_meme_config.json 14:30 Asia/Kolkata → daily_time 09:00 UTC',
      );
      expect(out).toContain(
        'skipped disabled_cogs.json warframe: no Guildhall module of that name',
      );
      expect(out).toContain('skipped disabled_cogs.json cogmanager: CogManager is never unloaded');
      expect(out).toContain('cogs: 2 cog states imported');
      expect(out).toContain('push: 6 tokens and settings imported');
      expect(out).toContain('skipped notification_tokens.json unknown: not a Discord id');
      expect(out).toMatch(/warning 1 token\(s\) of legacy_user now belong to the password admin/);
      expect(out).toContain('rocket-league: 2 accounts imported');
      expect(out).toContain('tickets: 2 tickets imported');
      expect(out).toContain('invites: 4 codes and members imported');
      expect(out).toContain('analytics: 7 sessions, days and error groups imported');
      expect(out).toContain('skipped 1 sessions: their discord_id names nobody');
      expect(first.stderr).toMatch(/analytics\s+\[=+\] 9\/9/);

      const imported = await snapshot();
      const second = await run(dir);
      expect(second.code).toBe(0);
      for (const part of ['config', 'memes', 'cogs', 'push', 'rocket-league', 'tickets', 'invites'])
        expect(second.stdout).toMatch(new RegExp(`^${part}: 0 .* imported`, 'm'));
      expect(second.stdout).toContain(
        'analytics: 0 sessions, days and error groups imported, 8 already present',
      );
      expect(await snapshot()).toEqual(imported);
    });

    it('every value arrives where Guildhall keeps it', () =>
      withApp(async (t) => {
        const admin = { Authorization: `Bearer ${await adminToken(t)}` };
        const get = async (path: string) =>
          (await t.http().get(path).set(admin).expect(200)).body as Record<string, unknown>;

        expect(await get('/api/config/general')).toMatchObject({
          bot_name: 'Chillventory Bot',
          command_prefix: '?',
          presence_update_interval: 1800,
          message_cooldown: 9,
          fuzzy_matching_threshold: 0.75,
          pink_color: 16711935,
          embed_footer_text: 'Powered by the Chillventory',
        });
        expect(await get('/api/config/channels')).toMatchObject({
          log_channel_id: '1433187806347526244',
          tickets_category_id: '1426113555974979625',
          // The daily meme's own channel, not the channels screen's.
          meme_channel_id: '1433414228840284999',
        });
        expect(await get('/api/config/roles')).toMatchObject({
          admin_role_id: '1424466881862959294',
          meme_role_id: '1433415594463330999',
          interest_role_ids: ['1424465865297887345', '1424465865297887346'],
          interest_roles: { 'Chat & Memes': '1424465865297887345', Gaming: '1424465865297887346' },
        });
        expect(await get('/api/config/meme')).toMatchObject({
          default_subreddits: ['memes', 'dankmemes'],
          default_lemmy: ['lemmy.world@memes'],
          templates_cache_duration: 7200,
          subreddits: ['memes', 'dankmemes', 'me_irl', 'programmerhumor'],
          lemmy_communities: [
            'lemmy.world@memes',
            'lemmy.ml@memes',
            'programming.dev@programmer_humor',
          ],
          daily_enabled: true,
          daily_time: '09:00',
          daily_allow_nsfw: false,
          daily_min_score: 250,
          daily_max_sources: 4,
          daily_pool_size: 30,
          daily_subreddits: ['memes', 'programmerhumor'],
          daily_lemmy: null,
        });
        expect(await get('/api/config/rocket_league')).toEqual({
          rank_check_interval_hours: 6,
          rank_cache_ttl_seconds: 3600,
        });
        expect(await get('/api/config/rocket_league_texts')).toMatchObject({
          promotion_config: { embed_title: 'Promotion' },
          congrats_replies: ['GG {ranked_user}, says {user}'],
        });
        expect(await get('/api/config/welcome')).toMatchObject({
          rules_text: 'Be kind. No spam.',
          welcome_messages: ['Welcome {user}!', 'Hey {user}, grab a snack.'],
        });
        expect(await get('/api/config/welcome_texts')).toMatchObject({
          welcome_button_replies: ['{user} waves at {new_member}'],
        });
        expect(await get('/api/config/server_guide')).toMatchObject({
          title: 'Welcome to the Chillventory!',
          fields: [{ name: 'Get Started', value: 'Click the buttons below.', inline: false }],
        });
        expect(await get('/api/config/tickets')).toMatchObject({
          categories: ['Application', 'Bug', 'Support', 'Partnership'],
          auto_delete_after_close_days: 14,
          require_claim: true,
        });

        const cogs = (await get('/api/cogs')).cogs as { name: string; status: string }[];
        const disabled = cogs.filter((cog) => cog.status === 'disabled').map((cog) => cog.name);
        expect(disabled.sort()).toEqual(['DailyMeme', 'RocketLeague']);

        const tokens: { token: string; discord_id: string | null; login_name: string | null }[] =
          await t.dataSource.query(
            `SELECT p.token, u.discord_id, u.login_name FROM push_tokens p
               JOIN users u ON u.id = p.user_id ORDER BY p.token`,
          );
        expect(tokens.map((row) => [row.token, row.discord_id ?? row.login_name])).toEqual([
          ['fcm-token-of-someone-new', BOB],
          ['fcm-token-of-the-admin-panel', 'admin'],
          ['fcm-token-phone-of-ann', ANN],
          ['fcm-token-tablet-of-ann', ANN],
        ]);
        const [settings] = await t.dataSource.query(
          `SELECT s.ticket_new_messages, s.ticket_mentions, s.ticket_created FROM notification_settings s
             JOIN users u ON u.id = s.user_id WHERE u.discord_id = '${ANN}'`,
        );
        expect([settings.ticket_new_messages, settings.ticket_mentions].map(Boolean)).toEqual([
          false,
          true,
        ]);

        // The import unloaded the cog (as HazeBot had it); its routes answer once it is loaded.
        await t.http().post('/api/cogs/RocketLeague/load').set(admin).expect(200);
        const accounts = (await t.http().get('/api/rocket-league/accounts').set(admin).expect(200))
          .body as Record<string, unknown>[];
        const byUser = new Map(accounts.map((a) => [a.user_id, a]));
        expect(byUser.get(ANN)).toMatchObject({
          username: 'ann',
          platform: 'steam',
          rl_username: '76561197993735144',
          ranks: { '1v1': 'Diamond II', '2v2': 'Champion I' },
          rank_display: { '1v1': '<:diamond2:1> Diamond II Div III' },
          icon_urls: { '1v1': 'https://trackercdn.example/diamond2.png' },
          // HazeBot's local time (TIMEZONE, +05:30) as UTC.
          last_fetched: '2025-12-17T08:33:22.123Z',
        });
        expect(byUser.get(BOB)).toMatchObject({
          platform: 'epic',
          ranks: { '2v2': 'Gold III' },
          rank_display: { '2v2': 'Gold III' },
          icon_urls: {},
          last_fetched: null,
        });

        const tickets = await get('/api/tickets?status=all');
        expect(tickets.total).toBe(2);
        const [{ next_value: nextTicket }] = await t.dataSource.query(
          `SELECT next_value FROM ticket_sequence`,
        );
        expect(Number(nextTicket)).toBe(9);

        const codes: { code: string; cohort: string; max_uses: number; used_count: number }[] =
          await t.dataSource.query(
            `SELECT code, cohort, max_uses, used_count FROM invite_codes ORDER BY code`,
          );
        expect(
          codes.map((c) => [c.code, c.cohort, Number(c.max_uses), Number(c.used_count)]),
        ).toEqual([
          ['PROMO', 'BC2', 50, 50],
          ['WELCOME2024', 'BC1', 100, 37],
        ]);
        const members: { email: string; cohort: string }[] = await t.dataSource.query(
          `SELECT email, cohort FROM imported_members ORDER BY email`,
        );
        expect(members).toEqual([
          { email: 'ann@example.com', cohort: 'BC1' },
          { email: 'bob@example.com', cohort: 'BC2' },
        ]);
        const [adminSettings] = await t.dataSource.query(
          `SELECT s.ticket_created, s.ticket_new_messages FROM notification_settings s
             JOIN users u ON u.id = s.user_id WHERE u.login_name = 'admin'`,
        );
        expect(
          [adminSettings.ticket_created, adminSettings.ticket_new_messages].map(Boolean),
        ).toEqual([false, true]);

        const stats = await get('/api/stats');
        expect(stats).toMatchObject({ total_users: 3, total_sessions: 17, total_actions: 104 });
        const daily = new Map(
          (stats.daily as { day: string }[]).map((day) => [day.day, day] as const),
        );
        // Ann's two sessions (one runs past midnight); she was first seen on 2025-11-20.
        expect(daily.get('2025-12-01')).toMatchObject({
          sessions: 2,
          unique_users: 1,
          new_users: 0,
          actions: 9,
          avg_session_duration: 1800,
        });
        // Ann past midnight, Bob (new) and the password admin (new); the nobody row is left out.
        expect(daily.get('2025-12-02')).toMatchObject({
          sessions: 3,
          unique_users: 3,
          new_users: 2,
          actions: 5,
        });
        // Known only by HazeBot's totals.
        expect(daily.get('2025-11-20')).toMatchObject({
          sessions: 12,
          unique_users: 7,
          new_users: 3,
          actions: 90,
          avg_session_duration: 1200,
        });
        expect(stats.platforms).toMatchObject({ Android: 12, Web: 1, Windows: 1, iOS: 3 });

        const errors = (await get('/api/analytics/errors')).errors as Record<string, unknown>[];
        expect(errors).toHaveLength(2);
        expect(errors.find((e) => e.type === 'KeyError')).toMatchObject({
          route: 'tickets.get_ticket',
          count: 2,
          first_seen: '2025-12-01T09:10:00.000Z',
          last_seen: '2025-12-02T18:05:00.000Z',
        });
      }));

    it('a broken file fails only its own part, names where, and writes nothing of it', async () => {
      const broken = dataFolder();
      try {
        const fresh = await createScratchDatabase(kind, postgresUrl);
        const env = envOf(fresh);
        try {
          writeFileSync(
            join(broken, 'rl_accounts.json'),
            '{\n  "1424815723476160533": {\n    "platform": "steam",,\n  }\n}\n',
          );
          const tickets = JSON.parse(readFileSync(join(broken, 'tickets_config.json'), 'utf8'));
          writeFileSync(
            join(broken, 'tickets_config.json'),
            JSON.stringify({ ...tickets, auto_delete_after_close_days: 'soon' }),
          );
          const db = new Database(join(broken, 'analytics.db'));
          db.prepare(`UPDATE sessions SET started_at = 'yesterday' WHERE session_id = ?`).run(
            'b0b00000-0001',
          );
          db.close();

          const result = await runToExit(
            'npm',
            ['run', '--silent', 'hazebot:import', '--', broken],
            {
              cwd: ROOT,
              env: cleanEnv({
                ...env,
                DATA_DIR: join(broken, 'guildhall'),
                API_ADMIN_PASS: 'x'.repeat(16),
              }),
            },
          );
          expect(result.code).toBe(1);
          expect(result.stdout).toMatch(
            /rocket-league: FAILED, nothing of it written: rl_accounts\.json line 3, column \d+: not valid JSON/,
          );
          expect(result.stdout).toMatch(
            /config: FAILED, nothing of it written: tickets_config\.json key tickets\.auto_delete_after_close_days: /,
          );
          expect(result.stdout).toContain(
            'analytics: FAILED, nothing of it written: analytics.db sessions row b0b00000-0001: started_at: expected an ISO date and time',
          );
          expect(result.stdout).toContain('3 part(s) failed');
          expect(result.stdout).toContain('memes: 9 settings imported');
          expect(result.stdout).toContain('push: 6 tokens and settings imported');

          await withApp(async (t) => {
            const count = async (sql: string) =>
              Number((await t.dataSource.query(sql))[0].n as string | number);
            expect(await count(`SELECT COUNT(*) AS n FROM rl_accounts`)).toBe(0);
            expect(
              await count(
                `SELECT COUNT(*) AS n FROM config_sections WHERE name IN ('general', 'tickets')`,
              ),
            ).toBe(0);
            expect(await count(`SELECT COUNT(*) AS n FROM analytics_daily`)).toBe(0);
            expect(await count(`SELECT COUNT(*) AS n FROM import_ledger`)).toBe(0);
            expect(await count(`SELECT COUNT(*) AS n FROM push_tokens`)).toBe(4);
          }, env);
        } finally {
          await fresh.dispose();
        }
      } finally {
        rmSync(broken, { recursive: true, force: true });
      }
    });
  });
}

describe('npm run hazebot:import arguments', () => {
  it('names its usage and a folder that is not there', async () => {
    const usage = await runToExit('npm', ['run', '--silent', 'hazebot:import'], {
      cwd: ROOT,
      env: cleanEnv(),
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run hazebot:import -- <Data dir> [--dry-run]');
    const missing = await runToExit(
      'npm',
      ['run', '--silent', 'hazebot:import', '--', '/nonexistent/Data'],
      { cwd: ROOT, env: cleanEnv() },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/Data: not a folder');
  });
});
