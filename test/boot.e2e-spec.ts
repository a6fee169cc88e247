import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { cleanEnv, MAIN, ROOT, runToExit, startServer } from './support/process';

/** These tests start the built server (`npm test` builds it first) the way a new user does. */
describe('starting the server', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'guildhall-boot-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('serves with `npm start` and no .env, on a SQLite file under data/, and stops on a signal to npm', async () => {
    const server = await startServer('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: cleanEnv({ DATA_DIR: join(cwd, 'data') }),
      detached: true,
    });
    try {
      const res = await request(`http://127.0.0.1:${server.port}`).get('/health').expect(200);
      expect(res.body.status).toBe('healthy');
      expect(existsSync(join(cwd, 'data', 'guildhall.sqlite'))).toBe(true);
      // Only npm's own PID, as a process manager would: the server must get it and stop.
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('Shutdown complete');
      await expect(fetch(`http://127.0.0.1:${server.port}/health`)).rejects.toThrow();
    } finally {
      try {
        process.kill(-(server.child.pid as number), 'SIGKILL');
      } catch {
        // The whole group has exited already.
      }
    }
  });

  it('generates the admin password once, keeps the secret, and shuts down cleanly on SIGTERM', async () => {
    const first = await startServer('node', [MAIN], { cwd, env: cleanEnv() });
    await request(`http://127.0.0.1:${first.port}`).get('/api/health').expect(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const password = /Generated a password for the admin user "admin": (\S+)/.exec(
      first.output(),
    )?.[1];
    expect(password).toBeTruthy();
    expect(first.output()).toContain('Shutdown complete');
    const secrets = readFileSync(join(cwd, 'data', 'dev-secrets.json'), 'utf8');
    expect(secrets).toContain(password);

    // Nothing but the one terminal notice carries the password: no log line does.
    const logLines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(password);

    const second = await startServer('node', [MAIN], { cwd, env: cleanEnv() });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toContain('Generated a password');
    expect(readFileSync(join(cwd, 'data', 'dev-secrets.json'), 'utf8')).toBe(secrets);
  });

  it('reads a .env file in the working directory', async () => {
    writeFileSync(
      join(cwd, '.env'),
      'API_VERSION=9.9.9\nENVIRONMENT=from-dotenv\nAPI_ADMIN_PASS=dotenv-pass\n',
    );
    const server = await startServer('node', [MAIN], { cwd, env: cleanEnv() });
    try {
      const res = await request(`http://127.0.0.1:${server.port}`).get('/api/health').expect(200);
      expect(res.body).toMatchObject({ version: '9.9.9', environment: 'from-dotenv' });
      expect(server.output()).not.toContain('Generated a password');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it.each([
    [{}, 'SECRET_KEY (or API_SECRET_KEY) must be set to at least 32 characters in production'],
    [
      { API_SECRET_KEY: 'too-short' },
      'SECRET_KEY (or API_SECRET_KEY) must be set to at least 32 characters',
    ],
    [{ SECRET_KEY: 'k'.repeat(40) }, 'API_ADMIN_PASS must be set in production'],
    [
      { SECRET_KEY: 'k'.repeat(40), API_ADMIN_PASS: 'changeme' },
      'API_ADMIN_PASS uses a known default password',
    ],
  ])('refuses to start in production with %j, giving a one-line reason', async (env, reason) => {
    const result = await runToExit('node', [MAIN], {
      cwd,
      env: cleanEnv({ NODE_ENV: 'production', ...env }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(reason)]);
    expect(result.stderr).toMatch(/^guildhall: refusing to start: /);
    expect(existsSync(join(cwd, 'data', 'dev-secrets.json'))).toBe(false);
  });

  it('stops with a message naming an invalid variable', async () => {
    const result = await runToExit('node', [MAIN], {
      cwd,
      env: cleanEnv({ PORT: '', API_PORT: 'eighty' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'guildhall: refusing to start: Invalid environment variable API_PORT: must be a whole number',
    );
  });
});
