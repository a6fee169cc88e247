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
    `This ticket cannot be reopened more than ${max} time${max === 1 ? '' : 's'}`,
  );
export const InvalidTicketType = (types: string[]) =>
  new DomainError(
    'INVALID_TICKET_TYPE',
    400,
    `Invalid ticket type. Must be one of: ${types.join(', ')}`,
  );
/** HazeBot's text for its one-hour cooldown; other TICKET_COOLDOWN_MINUTES say their own period. */
export const TicketCooldown = (cooldownMinutes: number, waitMinutes: number) =>
  new DomainError(
    'TICKET_COOLDOWN',
    429,
    `You can only create one ticket ${
      cooldownMinutes === 60 ? 'per hour' : `every ${cooldownMinutes} minutes`
    }. Please wait ${waitMinutes} minutes.`,
  );
export const TicketsDisabled = () =>
  new DomainError('TICKETS_DISABLED', 403, 'Ticket creation is disabled');
export const TooManyOpenTickets = (max: number) =>
  new DomainError(
    'TOO_MANY_OPEN_TICKETS',
    429,
    `You already have ${max} open ticket${max === 1 ? '' : 's'}. Please wait until one is closed.`,
  );
export const ClaimBeforeWriting = () =>
  new DomainError('TICKET_NOT_CLAIMED', 400, 'Claim the ticket before writing in it');
export const NotTicketStaff = (action: string) =>
  new DomainError(
    'INSUFFICIENT_PERMISSIONS',
    403,
    `Insufficient permissions to ${action} this ticket`,
  );
export const OwnTicketsOnly = () =>
  new DomainError('INSUFFICIENT_PERMISSIONS', 403, 'You can only message your own tickets');
export const MessageContentRequired = () =>
  new DomainError('MESSAGE_CONTENT_REQUIRED', 400, 'Message content required');
export const ClaimerRequired = () =>
  new DomainError('VALIDATION_FAILED', 400, 'user_id required', [
    { field: 'user_id', message: 'user_id required' },
  ]);
export const ClaimerNotFound = () =>
  new DomainError('USER_NOT_FOUND', 400, 'User not found in guild');
export const ClaimerNotStaff = () => new DomainError('NOT_AUTHORIZED', 400, 'Not authorized');
/** A status change the ticket's state does not allow, where the contract names no other error. */
export const InvalidTransition = (from: string, to: string) =>
  new DomainError('INVALID_TICKET_TRANSITION', 409, `A ${from} ticket cannot become ${to}`);
export const TicketChangedMeanwhile = () =>
  new DomainError('TICKET_CHANGED', 409, 'The ticket changed meanwhile; try again');
export const UnsupportedTicketChange = (message: string) =>
  new DomainError('UNSUPPORTED_TICKET_CHANGE', 400, message);
export const NotATicketChannel = () =>
  new DomainError('NOT_A_TICKET_CHANNEL', 400, 'Use this command in a ticket channel');
