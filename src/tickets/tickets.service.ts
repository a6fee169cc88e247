import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../core/database';
import { BotSettings } from '../bot-config/bot-settings';
import { AppConfig } from '../core/env';
import { PushQueue } from '../core/push';
import { readableTicket, type TicketActor, TicketPolicy } from './ticket-actor';
import type { TicketMessage } from './ticket-message.entity';
import { TicketEvents } from './ticket-events';
import { TicketMirror } from './ticket-mirror';
import { Ticket, type TicketStatus } from './ticket.entity';
import {
  InvalidTicketType,
  NotTicketStaff,
  TicketCooldown,
  TicketNotClosed,
  TicketNotFound,
  TicketsDisabled,
  TooManyOpenTickets,
} from './tickets.errors';
import { type ReaderView, type TicketWithView, TicketsRepository } from './tickets.repository';

export const MAX_PAGE = 100;
/** Messages a ticket's detail shows; the rest through its messages route. */
const DETAIL_MESSAGES = 100;
/** Key of the PostgreSQL advisory lock that serialises ticket numbering and the cooldown check. */
const TICKET_OPEN_LOCK = 7_201_001;

export interface TicketQuery {
  status?: TicketStatus | 'all';
  /** Only the caller's own tickets, even for staff. */
  mine?: boolean;
  limit: number;
  offset: number;
}

export interface NewTicket {
  type: string;
  subject: string;
  description: string;
}

export interface TicketPage {
  /** Frozen and shared: the same array for every read of unchanged rows. */
  tickets: readonly TicketWithView[];
  total: number;
}

export interface TicketDetail {
  ticket: Ticket;
  reader: ReaderView | undefined;
  messages: TicketMessage[];
}

/**
 * Opening, listing, reading and deleting tickets. State changes are TicketTransitions', messages
 * TicketMessages'; who may do what is TicketPolicy's.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsRepository,
    private readonly mirror: TicketMirror,
    private readonly events: TicketEvents,
    private readonly pushes: PushQueue,
  ) {}

  /** Whoever sees every ticket gets them all, others their own; newest first, with reader views. */
  page(actor: TicketActor, query: TicketQuery): Promise<TicketPage> {
    const own = query.mine || !TicketPolicy.seesAll(actor);
    return this.tickets.page(
      {
        ...(own && { openerId: actor.id }),
        ...(query.status && query.status !== 'all' && { status: query.status }),
      },
      actor.id,
      Math.min(query.limit, MAX_PAGE),
      query.offset,
    );
  }

  /** One ticket with the actor's reader view and its first messages: two statements. */
  async detail(actor: TicketActor, id: string): Promise<TicketDetail> {
    const found = await this.tickets.findWithView(id, actor.id);
    if (!found || !TicketPolicy.mayRead(actor, found.ticket)) throw TicketNotFound();
    const messages = await this.tickets.messagesOf(id, { limit: DETAIL_MESSAGES });
    return { ...found, messages };
  }

  /**
   * Opens a ticket. The cooldown and the number are decided inside the transaction that inserts it,
   * so concurrent opens take turns (SQLite runs one transaction at a time; PostgreSQL takes an
   * advisory lock). With Discord, the ticket's channel is queued in the same transaction:
   * `channelJob` is that outbox message; with `deliverChannel` the caller delivers it at once.
   */
  async open(
    actor: TicketActor,
    input: NewTicket,
    options: { deliverChannel?: boolean } = {},
  ): Promise<{ ticket: Ticket; channelJob: string | null }> {
    const { cooldownMinutes } = this.config.tickets;
    const { categories, enabled, max_open_per_user: maxOpen } = this.settings.get('tickets');
    if (!categories.includes(input.type)) throw InvalidTicketType([...categories]);
    const staff = TicketPolicy.manages(actor);
    if (!enabled && !staff) throw TicketsDisabled();
    return this.transactions.run(async (manager) => {
      if (manager.connection.options.type === 'postgres') {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [TICKET_OPEN_LOCK]);
      }
      if (maxOpen > 0 && !staff && (await this.tickets.openCountOf(manager, actor.id)) >= maxOpen)
        throw TooManyOpenTickets(maxOpen);
      const now = new Date();
      if (!staff && cooldownMinutes > 0) {
        const last = await this.tickets.lastOpenedSince(
          manager,
          actor.id,
          new Date(now.getTime() - cooldownMinutes * 60_000),
        );
        if (last) {
          const wait = Math.ceil(
            (last.getTime() + cooldownMinutes * 60_000 - now.getTime()) / 60_000,
          );
          throw TicketCooldown(cooldownMinutes, Math.max(1, wait));
        }
      }
      const ticket = Object.assign(new Ticket(), {
        id: randomUUID(),
        ticketNum: await this.tickets.nextNumber(manager),
        type: input.type,
        subject: input.subject,
        description: input.description,
        status: 'open',
        openerId: actor.id,
        openerName: actor.name,
        openerAvatar: actor.avatar,
        claimedBy: null,
        claimedByName: null,
        assignedTo: null,
        assignedToName: null,
        reopenCount: 0,
        messageSeq: 0,
        channelId: null,
        closeReason: null,
        closedBy: null,
        closedAt: null,
        transcriptText: null,
        transcriptHtml: null,
        createdAt: now,
        updatedAt: now,
      } satisfies Ticket);
      await this.tickets.insert(manager, ticket);
      const channelJob = await this.mirror.openWith(manager, ticket.id, options.deliverChannel);
      await this.pushes.ticket(manager, { event: 'new_ticket', ticketId: ticket.id });
      this.transactions.afterCommit(() =>
        this.events.publish({
          type: 'ticket_opened',
          ticketId: ticket.id,
          ticketNum: ticket.ticketNum,
          openerId: ticket.openerId,
          openerName: ticket.openerName,
          subject: ticket.subject,
        }),
      );
      return { ticket, channelJob };
    });
  }

  async delete(actor: TicketActor, id: string): Promise<Ticket> {
    const ticket = await readableTicket(this.tickets, actor, id);
    if (!TicketPolicy.mayDelete(actor)) throw NotTicketStaff('delete');
    await this.transactions.run((manager) => this.tickets.delete(manager, ticket.id));
    return ticket;
  }

  /** The transcript written when the ticket closed. */
  async transcript(actor: TicketActor, id: string): Promise<{ text: string; html: string }> {
    await readableTicket(this.tickets, actor, id);
    const ticket = await this.tickets.findWhole(id);
    if (!ticket) throw TicketNotFound();
    if (!ticket.transcriptText || !ticket.transcriptHtml) throw TicketNotClosed();
    return { text: ticket.transcriptText, html: ticket.transcriptHtml };
  }

  /** The ticket mirrored in a Discord channel, if any. */
  findByChannel(channelId: string): Promise<Ticket | null> {
    return this.tickets.findByChannel(channelId);
  }

  find(id: string): Promise<Ticket | null> {
    return this.tickets.find(id);
  }

  /** Deletes tickets closed more than `tickets.auto_delete_after_close_days` ago. Returns how many. */
  async deleteExpired(now = new Date()): Promise<number> {
    const days = this.settings.get('tickets').auto_delete_after_close_days;
    if (days === null) return 0;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    return this.transactions.run((manager) => this.tickets.deleteClosedBefore(manager, cutoff));
  }
}
