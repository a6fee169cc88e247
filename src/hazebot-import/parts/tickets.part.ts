import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { parseTicketRecords, type ImportedTicket } from '../../tickets/ticket-import';
import { TicketSequence } from '../../tickets/ticket-sequence.entity';
import { Ticket } from '../../tickets/ticket.entity';
import { TICKET_SEQUENCE } from '../../tickets/tickets.repository';
import { Expect, readJsonFile } from '../data-file';
import { type ImportPart, outcome, type Skipped } from '../import-part';

const TICKETS = 'tickets.json';
const COUNTER = 'ticket_counter.json';

export interface TicketFiles {
  tickets: ImportedTicket[];
  /** HazeBot's next ticket number (0 without ticket_counter.json). */
  counter: number;
  skipped: { index: number; reason: string }[];
}

/** Reads tickets.json (and ticket_counter.json beside it); entries without an id are skipped. */
export function readTicketFiles(dir: string): TicketFiles {
  const records = readJsonFile(join(dir, TICKETS));
  if (!Array.isArray(records)) new Expect(TICKETS).fail(undefined, 'expected a list of tickets');
  const { tickets, skipped } = parseTicketRecords(records);
  let counter = 0;
  if (existsSync(join(dir, COUNTER))) {
    const expect = new Expect(COUNTER);
    const next = expect.object(readJsonFile(join(dir, COUNTER))).next_num;
    if (!Number.isInteger(next) || (next as number) < 0)
      expect.fail('key next_num', 'expected a whole number');
    counter = next as number;
  }
  return { tickets, counter, skipped };
}

/**
 * Brings tickets in within the caller's transaction: tickets already present (same ticket_id or
 * number) are counted, not changed; the ticket counter never goes back.
 */
export async function importTickets(
  manager: EntityManager,
  files: TicketFiles,
  tick: (n: number) => void,
): Promise<{ imported: number; present: number }> {
  let imported = 0;
  let present = 0;
  for (const entry of files.tickets) {
    if (await manager.existsBy(Ticket, [{ id: entry.id }, { ticketNum: entry.ticketNum }])) {
      present += 1;
    } else {
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
    tick(1);
  }
  const current = await manager.findOneBy(TicketSequence, { name: TICKET_SEQUENCE });
  const next = Math.max(files.counter, current?.nextValue ?? 0);
  if (next !== current?.nextValue)
    await manager.save(TicketSequence, { name: TICKET_SEQUENCE, nextValue: next });
  return { imported, present };
}

/** tickets.json and ticket_counter.json → tickets (their messages live in Discord). */
export const ticketsPart: ImportPart<TicketFiles> = {
  name: 'tickets',
  files: [TICKETS],
  read: (dir) => readTicketFiles(dir),
  async write(context, files) {
    const result = outcome('tickets');
    result.skipped.push(
      ...files.skipped.map(({ index, reason }): Skipped => ({
        what: `${TICKETS} entry ${index + 1}`,
        reason,
      })),
    );
    context.progress.start(files.tickets.length);
    Object.assign(result, await importTickets(context.manager, files, context.progress.tick));
    if (files.counter > 0) result.mapped.push(`next ticket number: at least ${files.counter}`);
    return result;
  },
};
