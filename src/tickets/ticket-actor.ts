import type { Actor } from '../auth/actor';
import type { Permission } from '../auth/permissions';
import type { Ticket } from './ticket.entity';
import { TicketNotFound } from './tickets.errors';
import type { TicketsRepository } from './tickets.repository';

/**
 * Whoever acts on tickets, from any transport, as tickets record people: `id` is the Discord id, or
 * the user id of a password user. Permissions are those of the user's current role.
 */
export interface TicketActor {
  id: string;
  name: string;
  avatar: string | null;
  /** The role a message records: `admin`, `moderator`, or null for everyone else. */
  role: 'admin' | 'moderator' | null;
  permissions: ReadonlySet<Permission>;
}

export function ticketActor({ user, permissions }: Actor): TicketActor {
  return {
    id: user.discordId ?? user.id,
    name: user.displayName ?? user.username,
    avatar: user.avatarUrl,
    role: user.role === 'lootling' ? null : user.role,
    permissions,
  };
}

/** What an actor may do with tickets: the one place that decides it. */
export const TicketPolicy = {
  /** Sees every ticket (others see their own only). */
  seesAll: (actor: TicketActor): boolean => actor.permissions.has('tickets.read'),

  mayRead: (actor: TicketActor, ticket: Pick<Ticket, 'openerId'>): boolean =>
    TicketPolicy.seesAll(actor) || ticket.openerId === actor.id,

  /** Claims, assigns, changes any ticket, and is not held to the ticket cooldown. */
  manages: (actor: TicketActor): boolean => actor.permissions.has('tickets.manage'),

  /** Writes in, closes and reopens the ticket: its opener, or whoever manages tickets. */
  takesPart: (actor: TicketActor, ticket: Pick<Ticket, 'openerId'>): boolean =>
    TicketPolicy.manages(actor) || ticket.openerId === actor.id,

  mayDelete: (actor: TicketActor): boolean => actor.permissions.has('tickets.delete'),
};

/** The ticket, if the actor may read it; otherwise "not found", so ids reveal nothing. */
export async function readableTicket(
  tickets: TicketsRepository,
  actor: TicketActor,
  id: string,
): Promise<Ticket> {
  const ticket = await tickets.find(id);
  if (!ticket || !TicketPolicy.mayRead(actor, ticket)) throw TicketNotFound();
  return ticket;
}
