/**
 * `npm run tickets:import -- <Data dir>`: brings HazeBot's tickets.json and ticket_counter.json into the
 * configured database. Tickets already present (same ticket_id) are skipped, so running it twice
 * imports nothing twice. Messages live in Discord and are not part of these files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { createApp } from '../app.factory';
import { TransactionRunner } from '../core/database';
import { loadConfig, readDotEnv } from '../core/env';
import { parseJsonBody } from '../core/http';
import { parseTicketRecords } from './ticket-import';
import { TicketSequence } from './ticket-sequence.entity';
import { Ticket } from './ticket.entity';
import { TICKET_SEQUENCE } from './tickets.service';

async function main(args: string[]): Promise<number> {
  const [dataDir] = args;
  if (!dataDir) {
    console.error('usage: npm run tickets:import -- <Data dir>');
    return 2;
  }
  // Discord ids are JSON integers beyond 2^53 there: read them exactly.
  const { tickets, skipped } = parseTicketRecords(
    parseJsonBody(readFileSync(join(dataDir, 'tickets.json'), 'utf8')),
  );
  const counterFile = join(dataDir, 'ticket_counter.json');
  const counter = existsSync(counterFile)
    ? Number(
        (parseJsonBody(readFileSync(counterFile, 'utf8')) as { next_num?: unknown }).next_num,
      ) || 0
    : 0;

  readDotEnv();
  const { config } = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    OUTBOX_POLL_MS: '0',
  });
  const app = await createApp(config);
  await app.init();
  const transactions = app.get(TransactionRunner);
  const bar = new SingleBar({
    format: 'importing [{bar}] {value}/{total} tickets',
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  let imported = 0;
  let present = 0;
  try {
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
  } finally {
    await app.close();
  }
  console.log(
    `tickets: ${imported} imported, ${present} already present, ${skipped.length} skipped`,
  );
  if (counter > 0) console.log(`next ticket number: at least ${counter}`);
  for (const { index, reason } of skipped) console.log(`  skipped entry ${index + 1}: ${reason}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
