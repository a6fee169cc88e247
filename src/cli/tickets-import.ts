/**
 * `npm run tickets:import -- <Data dir>`: brings HazeBot's tickets.json and ticket_counter.json into the
 * configured database, all or nothing. Tickets already present (same ticket_id) are skipped, so
 * running it twice imports nothing twice. Messages live in Discord and are not part of these files.
 * `npm run hazebot:import` does the same as one part of a whole Data/ folder.
 */
import { TransactionRunner } from '../core/database';
import { importTickets, readTicketFiles } from '../hazebot-import/parts/tickets.part';
import { progressBar, runCommand, withImportApp } from './import-command';

async function main(args: string[]): Promise<number> {
  const [dataDir] = args;
  if (!dataDir) {
    console.error('usage: npm run tickets:import -- <Data dir>');
    return 2;
  }
  const files = readTicketFiles(dataDir);
  const { imported, present } = await withImportApp(async (app) => {
    const bar = progressBar('importing [{bar}] {value}/{total} tickets');
    bar.start(files.tickets.length, 0);
    const counts = await app
      .get(TransactionRunner)
      .run((manager) => importTickets(manager, files, (n) => bar.increment(n)));
    bar.stop();
    return counts;
  });
  console.log(
    `tickets: ${imported} imported, ${present} already present, ${files.skipped.length} skipped`,
  );
  if (files.counter > 0) console.log(`next ticket number: at least ${files.counter}`);
  for (const { index, reason } of files.skipped)
    console.log(`  skipped entry ${index + 1}: ${reason}`);
  return 0;
}

runCommand(main);
