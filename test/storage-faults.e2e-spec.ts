import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/eventually';
import { GuildhallProcess, PROCESS_API_KEY } from './support/guildhall-process';
import { ROOT } from './support/process';

/**
 * Storage faults against the built server process on a real file: a disk that fills up, a log
 * output that fails, another process holding the database lock, kill -9 during writes.
 */

/** A small tmpfs of the test's own, where the machine lets it mount one (as root here). */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const probeDir = mkdtempSync(join(tmpdir(), 'guildhall-tmpfs-probe-'));
const canMount = mountTmpfs(probeDir, '1m');
if (canMount) execFileSync('umount', [probeDir]);
rmSync(probeDir, { recursive: true, force: true });
const itWithTmpfs = canMount ? it : it.skip;

/** Fills the file system under `dir` to the last byte; returns the filler's path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size >= 512;) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

describe('a disk that fills up', () => {
  let mount: string;
  beforeAll(() => {
    mount = mkdtempSync(join(tmpdir(), 'guildhall-full-'));
  });
  afterAll(() => {
    if (canMount) execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    rmSync(mount, { recursive: true, force: true });
  });

  itWithTmpfs(
    'answers writes with 507 while full, keeps reading, recovers when space returns, and loses nothing acknowledged',
    async () => {
      expect(mountTmpfs(mount, '16m')).toBe(true);
      const dataDir = join(mount, 'data');
      mkdirSync(dataDir);
      let server = await GuildhallProcess.start(dataDir);
      const acked: string[] = [];
      const refused: string[] = [];
      const redeemed: string[] = [];
      try {
        const token = await server.login();
        const ticket = await server.openTicket(token);
        const redeem = (member: string) =>
          server.request('POST', '/api/invites/redeem', {
            apiKey: PROCESS_API_KEY,
            body: { code: 'FULLDISK', discord_user_id: member },
          });
        const added = await server.request('POST', '/add_invite_code', {
          apiKey: PROCESS_API_KEY,
          body: { code: 'FULLDISK', role: 'BC1', max_uses: 1000 },
        });
        expect(added.status).toBe(200);
        expect((await redeem('700000000000000001')).status).toBe(200);
        redeemed.push('700000000000000001');

        const filler = fillDisk(mount);
        // Write until the disk refuses: the WAL grows at COMMIT, which then fails with SQLITE_FULL.
        for (let i = 0; refused.length < 3 && i < 2000; i += 1) {
          const content = `while full ${i}`;
          const res = await server.postMessage(token, ticket, content);
          if (res.status === 200) acked.push(content);
          else {
            expect(res.status).toBe(507);
            expect(res.body).toMatchObject({ code: 507, error_code: 'STORAGE_FULL' });
            expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
            refused.push(content);
          }
        }
        expect(refused).toHaveLength(3);
        // A rejection by a rule while full, and a redemption that cannot be stored.
        expect([409, 507]).toContain((await redeem('700000000000000001')).status);
        expect((await redeem('700000000000000002')).status).toBe(507);

        // Reads go on, and readiness names the condition.
        const during = await server.messageContents(token, ticket);
        for (const content of acked) expect(during.has(content)).toBe(true);
        const ready = await server.request('GET', '/api/health/ready');
        expect(ready.body.checks).toMatchObject({
          storage: { status: 'error', condition: 'full' },
        });

        unlinkSync(filler);
        // Rejections and successes after space returned: none may be left uncommitted.
        expect((await redeem('700000000000000001')).status).toBe(409);
        for (let i = 0; i < 20; i += 1) {
          const content = `after space returned ${i}`;
          const res = await server.postMessage(token, ticket, content);
          expect(res.status).toBe(200);
          acked.push(content);
          if (i % 5 === 0) expect((await redeem('700000000000000001')).status).toBe(409);
        }
        expect((await redeem('700000000000000003')).status).toBe(200);
        redeemed.push('700000000000000003');
        await eventually(async () => {
          const again = await server.request('GET', '/api/health/ready');
          expect(again.body.checks).toMatchObject({ storage: { status: 'ok' } });
        });

        await server.kill();
        server = await GuildhallProcess.start(dataDir);
        const token2 = await server.login();
        const stored = await server.messageContents(token2, ticket);
        for (const content of acked) expect(stored.has(content)).toBe(true);
        for (const content of refused) expect(stored.has(content)).toBe(false);
        const codes = await server.request('GET', '/list_codes', { apiKey: PROCESS_API_KEY });
        const code = (codes.body.codes as { code: string; used_count: number }[]).find(
          (c) => c.code === 'FULLDISK',
        );
        expect(code?.used_count).toBe(redeemed.length);
      } finally {
        await server.kill();
      }
    },
    120_000,
  );
});

describe('a log output that fails', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'guildhall-logsink-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it.each([
    ['ENOSPC', 'stdout on /dev/full'],
    ['EPIPE', 'stdout into a pipe nobody reads any more'],
  ])(
    'neither crashes nor stalls the server (%s: %s)',
    async (code) => {
      const full = code === 'ENOSPC' ? openSync('/dev/full', 'w') : undefined;
      const server = await GuildhallProcess.startWithStdio(
        dataDir,
        ['ignore', full ?? 'pipe', 'pipe'],
        { LOG_LEVEL: 'info' },
      );
      if (full !== undefined) closeSync(full);
      else server.server.child.stdout?.destroy();
      try {
        // Every request logs a line; a 404 logs a warning too.
        const answers = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            server.request('GET', i % 2 ? '/health' : '/api/no-such-route'),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(
          Array.from({ length: 200 }, (_, i) => (i % 2 ? 200 : 404)),
        );
        const health = await server.request('GET', '/api/health?detailed=true');
        expect(health.body.checks).toMatchObject({
          logs: { status: 'warning', failing: true, last_error: code },
        });
        expect(server.server.child.exitCode).toBeNull();
        const warnings = server.server
          .output()
          .split('\n')
          .filter((line) => line.includes('writing log lines failed'));
        expect(warnings).toEqual([expect.stringContaining(`(${code})`)]);
        expect(await server.stop()).toBe(0);
      } finally {
        await server.kill();
      }
    },
    90_000,
  );
});

describe("another process's lock on the database", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'guildhall-lock-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('keeps /health and reads answering while it is held; writes wait for it, nothing half-written', async () => {
    const server = await GuildhallProcess.start(dataDir);
    try {
      const token = await server.login();
      const ticket = await server.openTicket(token);
      // An outside process takes the write lock for 3 s, as a backup tool or a sqlite3 shell would.
      const holder = spawn(
        'node',
        [
          '-e',
          `const db = new (require('better-sqlite3'))(process.argv[1]);
           db.exec('BEGIN EXCLUSIVE'); process.stdout.write('locked\\n');
           setTimeout(() => { db.exec('COMMIT'); process.stdout.write('released\\n'); }, 3000);`,
          join(dataDir, 'guildhall.sqlite'),
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const events: string[] = [];
      const released = new Promise<void>((resolve) =>
        holder.stdout.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            events.push(line);
            if (line === 'released') resolve();
          }
        }),
      );
      await eventually(() => expect(events).toContain('locked'));

      const timed = (name: string, answer: Promise<{ status: number }>) =>
        answer.then((res) => {
          events.push(`${name} ${res.status}`);
          return res;
        });
      const write = timed('write', server.postMessage(token, ticket, 'written under a lock'));
      const login = timed(
        'login',
        server.request('POST', '/api/auth/login', {
          body: { username: 'admin', password: 'process-admin-password' },
        }),
      );
      await timed('health', server.request('GET', '/health'));
      await timed('api-health', server.request('GET', '/api/health'));
      await timed('read', server.request('GET', `/api/tickets/${ticket}`, { token }));
      await Promise.all([write, login, released]);

      const at = (name: string) => events.findIndex((event) => event.startsWith(name));
      expect(events.slice(at('health'), at('health') + 1)).toEqual(['health 200']);
      expect(at('health')).toBeLessThan(at('released'));
      expect(at('api-health')).toBeLessThan(at('released'));
      expect(events[at('read')]).toBe('read 200');
      expect(at('read')).toBeLessThan(at('released'));
      const wrote = (await write).status;
      expect([200, 503]).toContain(wrote);
      if (wrote === 200) expect(at('write')).toBeGreaterThan(at('released'));
      const stored = await server.messageContents(token, ticket);
      expect(stored.has('written under a lock')).toBe(wrote === 200);
      expect([200, 503]).toContain((await login).status);
    } finally {
      await server.kill();
    }
  });
});

describe('kill -9 during concurrent writers', () => {
  it('loses no acknowledged message', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'guildhall-kill-')), 'data');
    let server = await GuildhallProcess.start(dataDir);
    const acked: string[] = [];
    try {
      const token = await server.login();
      const ticket = await server.openTicket(token);
      let stop = false;
      const writers = Array.from({ length: 20 }, async (_, writer) => {
        for (let i = 0; !stop; i += 1) {
          const content = `writer ${writer} message ${i}`;
          try {
            const res = await server.postMessage(token, ticket, content);
            if (res.status === 200) acked.push(content);
          } catch {
            return; // The connection died with the process: this one was never acknowledged.
          }
        }
      });
      await eventually(() => expect(acked.length).toBeGreaterThan(200), 30_000);
      await server.kill();
      stop = true;
      await Promise.all(writers);

      server = await GuildhallProcess.start(dataDir);
      const stored = await server.messageContents(await server.login(), ticket);
      const lost = acked.filter((content) => !stored.has(content));
      expect(lost).toEqual([]);
    } finally {
      await server.kill();
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  }, 90_000);
});
