import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from './support/app';
import { cleanEnv, ROOT, runToExit } from './support/process';
import { adminToken } from './support/users';

// HazeBot writes Discord ids as JSON integers beyond 2^53; they must arrive exactly.
const TICKETS = `[
  {"ticket_id": "1f0c1a52-1111-4c3a-9d2e-000000000001", "ticket_num": 7, "user_id": 1424815723476160533,
   "channel_id": 1424815723476160999, "type": "Support", "status": "Closed", "claimed_by": 1300000000000000001,
   "assigned_to": null, "created_at": "2025-12-17T14:03:22.123456", "closed_at": "2025-12-18T09:00:00",
   "closed_by": 1300000000000000001, "embed_message_id": 1, "reopen_count": 1,
   "initial_message": "**Subject:** Cannot join voice\\n\\n**Description:**\\nThe voice channel refuses me."},
  {"ticket_id": "1f0c1a52-1111-4c3a-9d2e-000000000002", "ticket_num": 8, "user_id": 1424815723476160534,
   "channel_id": null, "type": "bug", "status": "Open", "created_at": "2025-12-19T10:00:00"},
  {"ticket_num": 9, "user_id": 1}
]`;

describe('npm run tickets:import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-tickets-import-'));
    writeFileSync(join(dir, 'tickets.json'), TICKETS);
    writeFileSync(join(dir, 'ticket_counter.json'), '{"next_num": 42}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = () =>
    runToExit('npm', ['run', '--silent', 'tickets:import', '--', dir], {
      cwd: ROOT,
      env: cleanEnv({ DATA_DIR: join(dir, 'data') }),
    });

  it('imports tickets exactly, keeps the counter, and imports nothing twice', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('tickets: 2 imported, 0 already present, 1 skipped');
    expect(first.stdout).toContain('skipped entry 3: no usable ticket_id');
    expect(first.stderr).toContain('importing [');
    const second = await run();
    expect(second.stdout).toContain('tickets: 0 imported, 2 already present, 1 skipped');

    const t = await createTestApp({ env: { SQLITE_PATH: join(dir, 'data', 'guildhall.sqlite') } });
    try {
      const admin = { Authorization: `Bearer ${await adminToken(t)}` };
      const list = await t.http().get('/api/tickets?status=all').set(admin).expect(200);
      expect(list.body.total).toBe(2);
      const old = list.body.tickets.find((x: { ticket_num: number }) => x.ticket_num === 7);
      expect(old).toMatchObject({
        ticket_id: '1f0c1a52-1111-4c3a-9d2e-000000000001',
        user_id: '1424815723476160533',
        channel_id: '1424815723476160999',
        claimed_by: '1300000000000000001',
        status: 'Closed',
        type: 'Support',
        subject: 'Cannot join voice',
        description: 'The voice channel refuses me.',
        reopen_count: 1,
      });
      const created = await t
        .http()
        .post('/api/tickets')
        .set(admin)
        .send({
          type: 'Support',
          subject: 'After the import',
          description: 'Numbers continue from the counter.',
        })
        .expect(201);
      expect(created.body.ticket_num).toBe(42);
    } finally {
      await t.close();
    }
  });
});
