import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_SECRETS_FILE } from './dev-secrets';
import { ConfigError, loadConfig, parseEnv } from './load-config';

const STRONG_SECRET = 'a'.repeat(32);

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env }, dir);

  it('serves on port 5070 with a SQLite file under the data directory by default', () => {
    const { config } = load({ SECRET_KEY: STRONG_SECRET, API_ADMIN_PASS: 'x-strong-pass' });
    expect(config.http.port).toBe(5070);
    expect(config.database.target).toEqual({ kind: 'sqlite', path: join(dir, 'guildhall.sqlite') });
    expect(config.database.migrateOnBoot).toBe(true);
  });

  it('accepts every variable of both seeds under its seed name', () => {
    const { config } = load({
      API_PORT: '5000',
      API_HOST: 'localhost',
      API_SECRET_KEY: STRONG_SECRET,
      API_ADMIN_USER: 'root',
      API_ADMIN_PASS: 'a-strong-password',
      API_EXTRA_USERS: 'user1:pw-one,user2:pw:two',
      DISCORD_TOKEN: 'bot-token',
      DISCORD_CLIENT_ID: '123456789012345678',
      DISCORD_CLIENT_SECRET: 'client-secret',
      DISCORD_REDIRECT_URI: 'https://example.com/api/discord/callback',
      DISCORD_GUILD_ID: '223456789012345678',
      ADMIN_ROLE_ID: '123456789',
      MODERATOR_ROLE_ID: '987654321',
      LOOTLING_ROLE_ID: '111222333',
      FCM_SERVER_KEY: 'fcm-key',
      ROCKET_LEAGUE_API_KEY: 'rl-key',
      REDIS_HOST: 'localhost',
      REDIS_PORT: '6380',
      CORS_ORIGINS: 'https://your-domain.com, http://localhost:3000',
      API_ENABLED: 'True',
      API_KEY: 'partner-key',
      EMAIL_ENABLED: 'true',
      SMTP_SERVER: 'smtp.gmail.com',
      SMTP_PORT: '587',
      SMTP_USERNAME: 'me@gmail.com',
      SMTP_PASSWORD: 'app-password',
      EMAIL_FROM_NAME: 'Build Crew',
      EMAIL_FROM_ADDRESS: 'noreply@buildcrew.com',
      DISCORD_SERVER_NAME: 'Build Crew',
      DISCORD_SERVER_INVITE: 'https://discord.gg/your-invite',
      MAX_ROLE_MEMBERS: '300',
    });
    expect(config.http).toMatchObject({ port: 5000, host: 'localhost' });
    expect(config.http.corsOrigins).toEqual(['https://your-domain.com', 'http://localhost:3000']);
    expect(config.auth).toMatchObject({
      secretKey: STRONG_SECRET,
      admin: { username: 'root', password: 'a-strong-password' },
      extraUsers: [
        { username: 'user1', password: 'pw-one' },
        { username: 'user2', password: 'pw:two' },
      ],
      legacyApiKey: 'partner-key',
      apiEnabled: true,
    });
    expect(config.discord.roles).toEqual({
      admin: '123456789',
      moderator: '987654321',
      lootling: '111222333',
    });
    expect(config.discord.guildId).toBe('223456789012345678');
    expect(config.discord.gatewayEnabled).toBe(true);
    expect(config.email).toMatchObject({
      enabled: true,
      smtp: { host: 'smtp.gmail.com', port: 587 },
    });
    expect(config.redis.url).toBe('redis://localhost:6380');
    expect(config.invites.maxRoleMembers).toBe(300);
    expect(config.push.fcmServerKey).toBe('fcm-key');
    expect(config.rocketLeague.apiKey).toBe('rl-key');
  });

  it('prefers PORT over API_PORT and REDIS_URL over REDIS_HOST', () => {
    const { config } = load({
      PORT: '8080',
      API_PORT: '5000',
      REDIS_URL: 'redis://cache:6379/2',
      REDIS_HOST: 'ignored',
      SECRET_KEY: STRONG_SECRET,
      API_ADMIN_PASS: 'a-strong-password',
    });
    expect(config.http.port).toBe(8080);
    expect(config.redis.url).toBe('redis://cache:6379/2');
  });

  it('uses PostgreSQL when DATABASE_URL is a postgres URL and honours SQLITE_PATH otherwise', () => {
    const pg = load({
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/test',
      SECRET_KEY: STRONG_SECRET,
      API_ADMIN_PASS: 'x-pass-1',
    });
    expect(pg.config.database.target).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1:5432/test',
    });
    const file = load({
      SQLITE_PATH: 'custom/db.sqlite',
      SECRET_KEY: STRONG_SECRET,
      API_ADMIN_PASS: 'x-pass-1',
    });
    expect(file.config.database.target).toEqual({
      kind: 'sqlite',
      path: join(dir, 'custom/db.sqlite'),
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid environment variable PORT: must be a whole number'],
    [{ API_PORT: '99999' }, 'Invalid environment variable API_PORT: must be between 0 and 65535'],
    [
      { EMAIL_ENABLED: 'maybe' },
      'Invalid environment variable EMAIL_ENABLED: must be true or false',
    ],
    [
      { DATABASE_URL: 'mysql://localhost/db' },
      'Invalid environment variable DATABASE_URL: must use postgres: or postgresql:',
    ],
    [
      { ADMIN_ROLE_ID: 'admins' },
      'Invalid environment variable ADMIN_ROLE_ID: must be a Discord id (digits only)',
    ],
    [
      { API_EXTRA_USERS: 'nopassword' },
      'Invalid environment variable API_EXTRA_USERS: must be a list of user:password pairs',
    ],
    [{ NODE_ENV: 'staging' }, 'Invalid environment variable NODE_ENV'],
    [
      { DISCORD_API_BASE: 'not a url' },
      'Invalid environment variable DISCORD_API_BASE: must be an absolute URL',
    ],
  ])('stops boot naming the variable for %j', (env, message) => {
    expect(() => parseEnv(env)).toThrow(ConfigError);
    expect(() => parseEnv(env)).toThrow(message);
  });

  describe('in production', () => {
    const prod = (env: Record<string, string>) => () => load({ NODE_ENV: 'production', ...env });

    it('refuses to start without a secret or with one under 32 characters', () => {
      expect(prod({ API_ADMIN_PASS: 'a-strong-password' })).toThrow(
        'SECRET_KEY (or API_SECRET_KEY) must be set to at least 32 characters in production',
      );
      expect(prod({ API_SECRET_KEY: 'short', API_ADMIN_PASS: 'a-strong-password' })).toThrow(
        ConfigError,
      );
    });

    it('refuses to start without an admin password or with a known default one', () => {
      expect(prod({ SECRET_KEY: STRONG_SECRET })).toThrow(
        'API_ADMIN_PASS must be set in production',
      );
      expect(prod({ SECRET_KEY: STRONG_SECRET, API_ADMIN_PASS: 'changeme' })).toThrow(
        'API_ADMIN_PASS uses a known default password for user "admin"',
      );
      expect(
        prod({
          SECRET_KEY: STRONG_SECRET,
          API_ADMIN_PASS: 'a-strong-password',
          API_EXTRA_USERS: 'user1:pass1',
        }),
      ).toThrow('API_EXTRA_USERS uses a known default password for user "user1"');
    });

    it('starts with strong settings and generates nothing', () => {
      const { config, generatedAdminPassword } = prod({
        SECRET_KEY: STRONG_SECRET,
        API_ADMIN_PASS: 'a-strong-password',
      })();
      expect(config.app.isProduction).toBe(true);
      expect(generatedAdminPassword).toBeUndefined();
      expect(() => statSync(join(dir, DEV_SECRETS_FILE))).toThrow();
    });
  });

  describe('in development', () => {
    it('generates a secret and an admin password once and keeps them in the data directory', () => {
      const first = load({});
      expect(first.config.auth.secretKey.length).toBeGreaterThanOrEqual(32);
      expect(first.generatedAdminPassword).toBe(first.config.auth.admin.password);
      const file = join(dir, DEV_SECRETS_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
        secret_key: first.config.auth.secretKey,
        admin_password: first.config.auth.admin.password,
      });

      const second = load({});
      expect(second.generatedAdminPassword).toBeUndefined();
      expect(second.config.auth.secretKey).toBe(first.config.auth.secretKey);
      expect(second.config.auth.admin.password).toBe(first.config.auth.admin.password);
    });

    it('uses the given values over generated ones', () => {
      const { config, generatedAdminPassword } = load({
        SECRET_KEY: 'given-secret',
        API_ADMIN_PASS: 'given-pass',
      });
      expect(config.auth.secretKey).toBe('given-secret');
      expect(config.auth.admin.password).toBe('given-pass');
      expect(generatedAdminPassword).toBeUndefined();
    });
  });
});
