import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  createScratchDatabase,
  openScratchDataSource,
  type ScratchDatabase,
} from '../src/core/database';
import { DATABASE_KINDS, describeOn } from './support/app';
import { ROOT } from './support/process';

const migrationFiles = (kind: string) =>
  readdirSync(join(ROOT, 'migrations', kind))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(ROOT, 'migrations', kind, file));

/** Data written before a migration, read after it: upgrades keep what is stored. */
for (const kind of DATABASE_KINDS)
  describeOn(kind)(`upgrading a ${kind} database with data in it`, () => {
    let scratch: ScratchDatabase;
    let db: DataSource;
    const postgres = kind === 'postgres';
    const p = (n: number) => (postgres ? `$${n}` : '?');

    beforeAll(async () => {
      scratch = await createScratchDatabase(kind, process.env.TEST_DATABASE_URL);
      // The schema as it was before the per-ticket message numbers and the time zones.
      const before = migrationFiles(kind).filter(
        (file) => !/TicketMessageSequence|TimestampsWithTimeZone/.test(file),
      );
      db = await openScratchDataSource(scratch, [], before);
      await db.runMigrations();
    });
    afterAll(async () => {
      await db?.destroy();
      await scratch?.dispose();
    });

    it('numbers the stored messages per ticket and gives time columns a zone without moving them', async () => {
      const at = '2026-03-01 12:34:56.789';
      for (const [id, num] of [
        ['t-one', 1],
        ['t-two', 2],
      ] as const)
        await db.query(
          'INSERT INTO tickets (id, ticket_num, type, subject, description, status, opener_id, ' +
            `opener_name, created_at, updated_at) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(p).join(', ')})`,
          [id, num, 'Support', 'Old', 'Stored before', 'open', 'u1', 'User', at, at],
        );
      // Interleaved, as messages of two tickets arrive.
      for (const ticket of ['t-one', 't-two', 't-one', 't-one', 't-two'])
        await db.query(
          'INSERT INTO ticket_messages (ticket_id, author_id, author_name, content, source, ' +
            `attachments, created_at) VALUES (${[1, 2, 3, 4, 5, 6, 7].map(p).join(', ')})`,
          [ticket, 'u1', 'User', 'hello', 'app', '[]', at],
        );

      await db.destroy();
      db = await openScratchDataSource(scratch, []);
      await db.runMigrations();

      const messages = await db.query<{ ticket_id: string; seq: number }[]>(
        'SELECT ticket_id, seq FROM ticket_messages ORDER BY id',
      );
      expect(messages.map((m) => [m.ticket_id, Number(m.seq)])).toEqual([
        ['t-one', 1],
        ['t-two', 1],
        ['t-one', 2],
        ['t-one', 3],
        ['t-two', 2],
      ]);
      const tickets = await db.query<{ id: string; message_seq: number }[]>(
        'SELECT id, message_seq FROM tickets ORDER BY id',
      );
      expect(tickets.map((t) => [t.id, Number(t.message_seq)])).toEqual([
        ['t-one', 3],
        ['t-two', 2],
      ]);
      if (!postgres) return;
      const naive = await db.query<unknown[]>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'`,
      );
      expect(naive).toEqual([]);
      const [{ created }] = await db.query<{ created: string }[]>(
        "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS created FROM tickets WHERE id = 't-one'",
      );
      expect(created).toBe(at);
    });
  });
