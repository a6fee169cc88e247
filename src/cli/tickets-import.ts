/**
 * `npm run tickets:import -- <Data dir>`: brings HazeBot's tickets.json and ticket_counter.json into the
 * configured database. Tickets already present (same ticket_id) are skipped, so running it twice
 * imports nothing twice. Messages live in Discord and are not part of these files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionRunner } from '../core/database';
import { progressBar, runCommand, withImportApp } from './import-command';
import { parseJsonBody } from '../core/http';

/** A data file is the operator's own, and holds every ticket in one object. */
const DATA_FILE_LIMITS = { depth: 64, members: Number.POSITIVE_INFINITY };
import { parseTicketRecords } from '../tickets/ticket-import';
import { TicketSequence } from '../tickets/ticket-sequence.entity';
import { Ticket } from '../tickets/ticket.entity';
import { TICKET_SEQUENCE } from '../tickets/tickets.repository';

async function main(args: string[]): Promise<number> {
  const [dataDir] = args;
  if (!dataDir) {
    console.error('usage: npm run tickets:import -- <Data dir>');
    return 2;
  }
  // Discord ids are JSON integers beyond 2^53 there: read them exactly.
  const { tickets, skipped } = parseTicketRecords(
    parseJsonBody(readFileSync(join(dataDir, 'tickets.json'), 'utf8'), DATA_FILE_LIMITS),
  );
  const counterFile = join(dataDir, 'ticket_counter.json');
  const counter = existsSync(counterFile)
    ? Number(
        (parseJsonBody(readFileSync(counterFile, 'utf8')) as { next_num?: unknown }).next_num,
      ) || 0
    : 0;

  const { imported, present } = await withImportApp(async (app) => {
    const transactions = app.get(TransactionRunner);
    const bar = progressBar('importing [{bar}] {value}/{total} tickets');
    let imported = 0;
    let present = 0;
    bar.start(tickets.length, 0);
    for (let i = 0; i < tickets.length; i += 200) {
      await transactions.run(async (manager) => {
        for (const entry of tickets.slice(i, i + 200)) {
          if (await manager.existsBy(Ticket, [{ id: entry.id }, { ticketNum: entry.ticketNum }])) {
            present += 1;
            continue;
          }
          await manager.insert(Ticket, {
            ...entry,
            openerName: 'Unknown User',
            openerAvatar: null,
            claimedByName: null,
            assignedToName: null,
            closeReason: null,
          });
          imported += 1;
        }
      });
      bar.increment(Math.min(200, tickets.length - i));
    }
    bar.stop();
    await transactions.run(async (manager) => {
      const current = await manager.findOneBy(TicketSequence, { name: TICKET_SEQUENCE });
      const next = Math.max(counter, current?.nextValue ?? 0);
      await manager.save(TicketSequence, { name: TICKET_SEQUENCE, nextValue: next });
    });
    return { imported, present };
  });
  console.log(
    `tickets: ${imported} imported, ${present} already present, ${skipped.length} skipped`,
  );
  if (counter > 0) console.log(`next ticket number: at least ${counter}`);
  for (const { index, reason } of skipped) console.log(`  skipped entry ${index + 1}: ${reason}`);
  return 0;
}

runCommand(main);
