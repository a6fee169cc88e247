import type { DomainError } from '../core/errors';
import type { Ticket, TicketStatus } from './ticket.entity';
import {
  TicketAlreadyClaimed,
  TicketAlreadyClosed,
  TicketClosed,
  TicketNotClosed,
} from './tickets.errors';

/** The changes of a ticket's state: open → claimed → closed → (reopened) open … */
export type TicketChange = 'claim' | 'assign' | 'close' | 'reopen';

/** The statuses each change starts from. Assigning keeps the status, as in HazeBot. */
export const TRANSITIONS: Readonly<Record<TicketChange, readonly TicketStatus[]>> = {
  claim: ['open'],
  assign: ['open', 'claimed'],
  close: ['open', 'claimed'],
  reopen: ['closed'],
};

export function allows(change: TicketChange, status: TicketStatus): boolean {
  return TRANSITIONS[change].includes(status);
}

/** Why `change` cannot happen to the ticket as it is: the error texts the clients know. */
export function refusal(change: TicketChange, ticket: Pick<Ticket, 'status'>): DomainError {
  switch (change) {
    case 'claim':
      return ticket.status === 'closed' ? TicketClosed('claim') : TicketAlreadyClaimed();
    case 'assign':
      return TicketClosed('assign');
    case 'close':
      return TicketAlreadyClosed();
    case 'reopen':
      return TicketNotClosed();
  }
}
