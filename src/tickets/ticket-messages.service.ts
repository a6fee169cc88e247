import { Injectable } from '@nestjs/common';
import { BotSettings } from '../bot-config/bot-settings';
import { isUniqueViolation, SerialQueue, TransactionRunner } from '../core/database';
import { PushQueue } from '../core/push';
import { readableTicket, type TicketActor, TicketPolicy } from './ticket-actor';
import { TicketEvents } from './ticket-events';
import type { MessageSource, TicketMessage } from './ticket-message.entity';
import { TicketMirror } from './ticket-mirror';
import type { Ticket } from './ticket.entity';
import {
  MessageContentRequired,
  OwnTicketsOnly,
  TicketClosed,
  TicketNotFound,
  ClaimBeforeWriting,
} from './tickets.errors';
import { TicketsRepository } from './tickets.repository';

/** The most messages one page (and a socket's history) holds. */
export const MAX_MESSAGE_PAGE = 1000;

export interface IncomingTicketMessage {
  content: string;
  attachments?: string[];
  source: MessageSource;
  /** For a message written in Discord: its id there, so a redelivery is stored once. */
  discordMessageId?: string;
}

/**
 * A ticket's messages. App and Discord messages take one path with one set of rules: the opener or
 * whoever manages tickets, not on a closed ticket, not blank (trimmed); stored with the author's
 * role, read for the author, mirrored to Discord when written in the app, and published to the room
 * in stored order after the commit.
 */
@Injectable()
export class TicketMessages {
  private readonly rooms = new Map<string, { queue: SerialQueue; pending: number }>();

  constructor(
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsRepository,
    private readonly mirror: TicketMirror,
    private readonly events: TicketEvents,
    private readonly pushes: PushQueue,
  ) {}

  /** Null only for a Discord message that is already stored (a resumed gateway session). */
  async post(
    actor: TicketActor,
    target: string | Ticket,
    input: IncomingTicketMessage,
  ): Promise<TicketMessage | null> {
    const ticket =
      typeof target === 'string' ? await readableTicket(this.tickets, actor, target) : target;
    if (!TicketPolicy.takesPart(actor, ticket)) throw OwnTicketsOnly();
    if (ticket.status === 'closed') throw TicketClosed('message');
    const staffReply = TicketPolicy.manages(actor) && ticket.openerId !== actor.id;
    if (staffReply && ticket.status === 'open' && this.settings.get('tickets').require_claim)
      throw ClaimBeforeWriting();
    const content = input.content.trim();
    const attachments = input.attachments ?? [];
    if (content === '' && attachments.length === 0) throw MessageContentRequired();
    // Per ticket, storing and publishing happen in one turn, so every subscriber hears a room's
    // messages in stored order.
    return this.inRoomOrder(ticket.id, async () => {
      try {
        return await this.transactions.run(async (manager) => {
          const message = await this.tickets.insertMessage(manager, {
            ticketId: ticket.id,
            authorId: actor.id,
            authorName: actor.name,
            authorAvatar: actor.avatar,
            authorRole: actor.role,
            content,
            isStaff: TicketPolicy.manages(actor),
            source: input.source,
            discordMessageId: input.discordMessageId ?? null,
            attachments,
          });
          await this.tickets.markRead(manager, ticket.id, actor.id, message.id);
          if (input.source === 'app') await this.mirror.messageWith(manager, ticket.id, message.id);
          await this.pushes.ticket(manager, {
            event: 'new_message',
            ticketId: ticket.id,
            messageId: message.id,
          });
          this.transactions.afterCommit(() =>
            this.events.publish({ type: 'new_message', ticketId: ticket.id, message }),
          );
          return message;
        });
      } catch (error) {
        if (input.discordMessageId !== undefined && isUniqueViolation(error)) return null;
        throw error;
      }
    });
  }

  /** Messages in stored order (oldest first), paged by id. */
  async history(
    actor: TicketActor,
    id: string,
    page: { after?: number; limit: number },
  ): Promise<TicketMessage[]> {
    const ticket = await readableTicket(this.tickets, actor, id);
    return this.tickets.messagesOf(ticket.id, {
      after: page.after,
      limit: Math.min(page.limit, MAX_MESSAGE_PAGE),
    });
  }

  /** History of a ticket for a token-less socket that knows the ticket's id (SOCKET_ALLOW_ANONYMOUS). */
  async historyOfAnyTicket(id: string, limit: number): Promise<TicketMessage[]> {
    if (!(await this.tickets.exists(id))) throw TicketNotFound();
    return this.tickets.messagesOf(id, { limit: Math.min(limit, MAX_MESSAGE_PAGE) });
  }

  /** Clears the actor's unread count. */
  async markRead(actor: TicketActor, id: string): Promise<void> {
    const ticket = await readableTicket(this.tickets, actor, id);
    const last = await this.tickets.lastMessageId(ticket.id);
    await this.transactions.run((manager) =>
      this.tickets.markRead(manager, ticket.id, actor.id, last),
    );
  }

  /** Runs tasks of one ticket one after another; the queue goes away when nothing waits. */
  private async inRoomOrder<T>(ticketId: string, task: () => Promise<T>): Promise<T> {
    const entry = this.rooms.get(ticketId) ?? { queue: new SerialQueue(), pending: 0 };
    this.rooms.set(ticketId, entry);
    entry.pending += 1;
    try {
      return await entry.queue.push(task);
    } finally {
      entry.pending -= 1;
      if (entry.pending === 0) this.rooms.delete(ticketId);
    }
  }
}
