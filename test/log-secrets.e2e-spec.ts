import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuildhallProcess } from './support/guildhall-process';

/** A credential nobody could confuse with anything else the log holds. */
const secret = (label: string) => `${label}-${randomBytes(8).toString('hex')}`;

describe('credentials in every form never reach the log file', () => {
  let root: string;
  let logFile: string;
  let server: GuildhallProcess;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'guildhall-log-secrets-'));
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    logFile = join(root, 'guildhall.log');
    const out = openSync(logFile, 'w');
    server = await GuildhallProcess.startWithStdio(dataDir, ['ignore', out, 'pipe'], {
      LOG_LEVEL: 'debug',
    });
    closeSync(out);
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('censors query, header and body credentials, whatever their spelling', async () => {
    const used: string[] = [];
    const q = (name: string) => {
      const value = secret(name.replace(/\W/g, ''));
      used.push(value);
      return `${name}=${value}`;
    };
    const queries = [
      q('api_key[]'),
      `${q('api_key')}&${q('api_key')}`,
      q('API_KEY'),
      q('Api_Key'),
      q('api%5Fkey'),
      q('api_key[0]'),
      q('token'),
      q('password'),
      q('authorization'),
      q('x-api-key'),
      q('X-Api-Key'),
    ];
    for (const query of queries) {
      const res = await fetch(`${server.url}/list_codes?${query}`);
      expect(res.status).toBe(401);
      const tickets = await fetch(`${server.url}/api/tickets?${query}&page=1`);
      expect(tickets.status).toBe(401);
    }

    const headerKey = secret('header');
    const bearer = secret('bearer');
    used.push(headerKey, bearer);
    await fetch(`${server.url}/api/tickets`, {
      headers: { 'X-API-Key': headerKey, Authorization: `Bearer ${bearer}` },
    });

    // Bodies that fail validation, with credentials under every spelling.
    const bodies = [
      { username: 5, password: secret('pw') },
      { username: 'admin', password: secret('pw'), api_key: secret('bodykey') },
      { username: 'admin', password: secret('pw'), API_KEY: secret('bodykey') },
      {
        username: 'admin',
        password: secret('pw'),
        Token: secret('tok'),
        authorization: secret('a'),
      },
      { username: 'admin', password: secret('pw'), 'x-api-key': secret('xk') },
      { nested: { deeper: { password: secret('deep'), apiKey: secret('deepkey') } } },
    ];
    for (const body of bodies) {
      used.push(...JSON.stringify(body).match(/[a-z]+-[0-9a-f]{16}/g)!);
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
    }
    expect(used.length).toBeGreaterThan(25);

    expect(await server.stop()).toBe(0);
    const log = readFileSync(logFile, 'utf8');
    // The requests were logged, with their parameters censored.
    expect(log).toContain('/list_codes?api_key[]=[redacted]');
    expect(log).toContain('api_key=[redacted]&api_key=[redacted]');
    expect(log).toContain('/api/tickets?Api_Key=[redacted]&page=1');
    for (const value of used) expect(log).not.toContain(value);
  }, 60_000);
});
