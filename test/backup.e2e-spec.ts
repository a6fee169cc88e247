import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BackupJob } from '../src/core/database';
import { createTestApp, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { cleanEnv, ROOT, runToExit } from './support/process';
import { adminToken } from './support/users';

const npm = (script: string, args: string[], dataDir: string) =>
  runToExit('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env: cleanEnv({ DATA_DIR: dataDir }),
  });

/** Online backups of the SQLite file, and restoring one. */
describe('database backup and restore', () => {
  let t: TestApp;
  let dir: string;
  let admin: string;
  let ticketId: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-backups-'));
    t = await createTestApp({
      env: {
        TICKET_COOLDOWN_MINUTES: '0',
        RATE_LIMIT_PER_MINUTE: '1000000',
        BACKUP_DIR: join(dir, 'scheduled'),
        BACKUP_KEEP: '2',
      },
    });
    admin = await adminToken(t);
    ticketId = (
      await t
        .http()
        .post('/api/tickets')
        .set(as(admin))
        .send({ type: 'Support', subject: 'Backups', description: 'Everything acknowledged.' })
        .expect(201)
    ).body.ticket_id as string;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the database while 20 clients write: the copy is sound and holds every acknowledged row', async () => {
    const acknowledged: { content: string; at: number }[] = [];
    let writing = true;
    const writers = Array.from({ length: 20 }, async (_, w) => {
      for (let n = 0; writing; n += 1) {
        const content = `w${w}-${n}`;
        const res = await t
          .http()
          .post(`/api/tickets/${ticketId}/messages`)
          .set(as(admin))
          .send({ content });
        if (res.status === 200) acknowledged.push({ content, at: performance.now() });
      }
    });
    // The copy starts once the writers are well under way, however loaded the machine is.
    await eventually(() => expect(acknowledged.length).toBeGreaterThan(20), 20_000);
    const began = performance.now();
    const file = join(dir, 'online.sqlite');
    const result = await npm('db:backup', [file], t.dataDir);
    writing = false;
    await Promise.all(writers);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('integrity ok');

    const copy = new Database(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        (
          copy.prepare('SELECT content FROM ticket_messages WHERE ticket_id = ?').all(ticketId) as {
            content: string;
          }[]
        ).map((row) => row.content),
      );
      const before = acknowledged.filter((a) => a.at < began);
      expect(before.length).toBeGreaterThan(20);
      expect(before.filter((a) => !stored.has(a.content))).toEqual([]);
    } finally {
      copy.close();
    }
  });

  it('refuses to restore over a database a server has open, and a damaged or foreign file', async () => {
    const live = await npm('db:restore', [join(dir, 'online.sqlite')], t.dataDir);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('has');
    expect(live.stderr).toContain('open; stop it before restoring');

    const empty = mkdtempSync(join(dir, 'empty-'));
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database'.repeat(500));
    const damaged = join(dir, 'damaged.sqlite');
    copyFileSync(join(dir, 'online.sqlite'), damaged);
    // Pages in the middle of the file overwritten.
    const bytes = readFileSync(damaged);
    bytes.fill(0xff, 4096 * 3, 4096 * 5);
    writeFileSync(damaged, bytes);
    const newer = join(dir, 'newer.sqlite');
    copyFileSync(join(dir, 'online.sqlite'), newer);
    const db = new Database(newer);
    db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(
      9999999999999,
      'FromTheFuture9999999999999',
    );
    db.close();
    for (const [file, reason] of [
      [garbage, 'is not'],
      [damaged, 'damaged'],
      [newer, 'newer version'],
    ] as const) {
      const refused = await npm('db:restore', [file], empty);
      expect({ file, code: refused.code }).toEqual({ file, code: 1 });
      expect(refused.stderr).toContain(reason);
    }
    expect(readdirSync(empty)).toEqual([]);
  });

  it('restores into a stopped installation, which then serves the restored data', async () => {
    const target = mkdtempSync(join(dir, 'restored-'));
    const restored = await npm('db:restore', [join(dir, 'online.sqlite')], target);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const again = await createTestApp({ env: { DATA_DIR: target } });
    try {
      const token = await adminToken(again);
      const res = await again
        .http()
        .get(`/api/tickets/${ticketId}/messages?limit=5`)
        .set(as(token))
        .expect(200);
      expect((res.body.messages as unknown[]).length).toBe(5);
    } finally {
      await again.close();
    }
  });

  it('takes scheduled backups into BACKUP_DIR and keeps the latest BACKUP_KEEP', async () => {
    const job = t.app.get(BackupJob);
    for (const at of ['2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z'])
      expect(await job.runOnce(new Date(at))).toMatchObject({ bytes: expect.any(Number) });
    expect(readdirSync(join(dir, 'scheduled')).sort()).toEqual([
      'guildhall-20261201-110000.sqlite',
      'guildhall-20261201-120000.sqlite',
    ]);
  });
});
