import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, ROOT, runToExit } from './support/process';

const CHECK = join(ROOT, 'dist', 'src', 'cli', 'config-check.js');

/** `npm run config:check`, run as the built command in a directory of its own (with its .env). */
describe('config:check', () => {
  let dir: string;
  const check = (env: Record<string, string>, dotEnv?: string) => {
    if (dotEnv !== undefined) writeFileSync(join(dir, '.env'), dotEnv);
    // Nothing but the given variables: no PORT=0 from the test helpers.
    const { PORT: _port, ...clean } = cleanEnv();
    return runToExit('node', [CHECK], { cwd: dir, env: { ...clean, ...env } });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-config-check-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the resolved settings with every secret redacted, and creates nothing', async () => {
    const secrets = {
      SECRET_KEY: 'a-secret-key-of-more-than-thirty-two-characters',
      API_ADMIN_PASS: 'a-fine-admin-password',
      DISCORD_TOKEN: 'the.discord.bot.token',
      DISCORD_CLIENT_SECRET: 'the-oauth-client-secret',
      SMTP_PASSWORD: 'the-smtp-password',
      API_EXTRA_USERS: 'alice:alices-password',
    };
    const result = await check(
      { NODE_ENV: 'production', ...secrets, DATABASE_URL: 'postgres://app:db-password@db:5432/gh' },
      'PORT=6123\nREDIS_URL=redis://:redis-password@cache:6379\n',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The configuration is valid (production)');
    const settings = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      http: { port: number };
      database: { target: { url: string } };
      redis: { url: string };
      auth: { secretKey: string; extraUsers: { username: string; password: string }[] };
    };
    // The .env counts, as at start-up.
    expect(settings.http.port).toBe(6123);
    expect(settings.database.target.url).toBe('postgres://app:***@db:5432/gh');
    expect(settings.redis.url).toBe('redis://:***@cache:6379');
    expect(settings.auth.extraUsers).toEqual([{ username: 'alice', password: '***' }]);
    for (const secret of [...Object.values(secrets), 'db-password', 'redis-password'])
      expect(result.stdout).not.toContain(secret.split(':').at(-1));
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('lists every problem and exits 1', async () => {
    const result = await check(
      { NODE_ENV: 'production', API_ADMIN_PASS: 'changeme' },
      'API_PORT=not-a-port\nLOG_LEVEL=loud\n',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The configuration has 2 problem(s)');
    expect(result.stderr).toContain('API_PORT: must be a whole number');
    expect(result.stderr).toContain('LOG_LEVEL');

    rmSync(join(dir, '.env'));
    const production = await check({ NODE_ENV: 'production', API_ADMIN_PASS: 'changeme' });
    expect(production.code).toBe(1);
    expect(production.stderr).toContain('The configuration has 2 problem(s)');
    expect(production.stderr).toContain('SECRET_KEY');
    expect(production.stderr).toContain('API_ADMIN_PASS uses a known default password');
  });

  it('outside production shows secrets that the first start will generate, without writing them', async () => {
    const result = await check({});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(generated at the first start)');
    expect(existsSync(join(dir, 'data', 'dev-secrets.json'))).toBe(false);
  });
});
