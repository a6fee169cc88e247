import { DomainError } from '../core/errors';

// A ticket the caller may not read is reported exactly like one that does not exist.
export const TicketNotFound = () => new DomainError('TICKET_NOT_FOUND', 404, 'Ticket not found');
export const TicketClosed = (action: string) =>
  new DomainError('TICKET_CLOSED', 400, `Cannot ${action} a closed ticket`);
export const TicketNotClosed = () =>
  new DomainError('TICKET_NOT_CLOSED', 400, 'Ticket is not closed');
export const TicketAlreadyClosed = () =>
  new DomainError('TICKET_ALREADY_CLOSED', 400, 'Ticket is already closed');
export const TicketAlreadyClaimed = () =>
  new DomainError('TICKET_ALREADY_CLAIMED', 400, 'Ticket already claimed');
export const ReopenLimit = (max: number) =>
  new DomainError(
    'TICKET_REOPEN_LIMIT',
    400,
    `This ticket cannot be reopened more than ${max} times`,
  );
export const InvalidTicketType = (types: string[]) =>
  new DomainError(
    'INVALID_TICKET_TYPE',
    400,
    `Invalid ticket type. Must be one of: ${types.join(', ')}`,
  );
export const TicketCooldown = (minutes: number) =>
  new DomainError(
    'TICKET_COOLDOWN',
    429,
    `You can only create one ticket per hour. Please wait ${minutes} minutes.`,
  );
export const NotTicketStaff = (action: string) =>
  new DomainError(
    'INSUFFICIENT_PERMISSIONS',
    403,
    `Insufficient permissions to ${action} this ticket`,
  );
export const NotATicketChannel = () =>
  new DomainError('NOT_A_TICKET_CHANNEL', 400, 'Use this command in a ticket channel');
