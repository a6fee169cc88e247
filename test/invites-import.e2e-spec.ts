import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from './support/app';
import { cleanEnv, ROOT, runToExit } from './support/process';
import { adminToken } from './support/users';

describe('npm run invites:import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-import-'));
    writeFileSync(
      join(dir, 'invcode.txt'),
      'WELCOME2024 :: BC1 :: 100 :: 37\nPROMO :: BC2 :: 50 :: 50\nLATE :: BC4 :: 3 :: 0\nbroken line\n',
    );
    writeFileSync(
      join(dir, 'users.txt'),
      'ann@example.com :: BC1\nbob@example.com :: BC1\ncid@example.com :: BC2\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = () =>
    runToExit(
      'npm',
      ['run', '--silent', 'invites:import', '--', join(dir, 'invcode.txt'), join(dir, 'users.txt')],
      {
        cwd: ROOT,
        env: cleanEnv({ DATA_DIR: join(dir, 'data') }),
      },
    );

  it('imports codes and members, reports what it skipped, and imports nothing twice', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('codes: 3 imported, 0 already present, 1 skipped');
    expect(first.stdout).toContain('members: 3 imported, 0 already present, 0 skipped');
    expect(first.stdout).toMatch(
      /skipped .*invcode\.txt:4: expected CODE :: BC1 :: max_uses :: used_count: broken line/,
    );
    expect(first.stderr).toContain('importing [');

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('codes: 0 imported, 3 already present, 1 skipped');
    expect(second.stdout).toContain('members: 0 imported, 3 already present, 0 skipped');

    const t = await createTestApp({ env: { SQLITE_PATH: join(dir, 'data', 'guildhall.sqlite') } });
    try {
      const admin = await adminToken(t);
      const list = await t
        .http()
        .get('/api/invites?limit=10')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      const byCode = Object.fromEntries(list.body.codes.map((c: { code: string }) => [c.code, c]));
      expect(byCode.WELCOME2024).toMatchObject({
        cohort: 'BC1',
        max_uses: 100,
        used_count: 37,
        state: 'active',
        source: 'imported',
      });
      expect(byCode.PROMO).toMatchObject({ used_count: 50, state: 'used' });
      const fill = await t
        .http()
        .get('/api/invites/cohorts')
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(
        fill.body.cohorts.map((c: { name: string; members: number }) => [c.name, c.members]),
      ).toEqual([
        ['BC1', 2],
        ['BC2', 1],
        ['BC3', 0],
        ['BC4', 0],
      ]);
    } finally {
      await t.close();
    }
  });
});
