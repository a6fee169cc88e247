import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, MoreThan, Repository } from 'typeorm';
import type { UserPrincipal } from '../auth/principal';
import { isUniqueViolation, SerialQueue, TransactionRunner } from '../core/database';
import { AppConfig } from '../core/env';
import { EMAIL_OUTBOX_KIND, MailService } from '../core/mail';
import { OutboxService } from '../core/outbox';
import { TicketEvents } from './ticket-events';
import { TicketMirror } from './ticket-mirror';
import { TicketSequence } from './ticket-sequence.entity';
import { TicketMessage } from './ticket-message.entity';
import { TicketRead } from './ticket-read.entity';
import { Ticket, type TicketStatus } from './ticket.entity';
import { transcriptOf } from './transcript';
import {
  InvalidTicketType,
  NotTicketStaff,
  ReopenLimit,
  TicketAlreadyClaimed,
  TicketAlreadyClosed,
  TicketClosed,
  TicketCooldown,
  TicketNotClosed,
  TicketNotFound,
} from './tickets.errors';

export const MAX_REOPENS = 3;
export const MAX_PAGE = 100;
/** The ticket_sequence row holding the floor for new ticket numbers. */
export const TICKET_SEQUENCE = 'ticket_num';
/** Key of the PostgreSQL advisory lock that serialises ticket numbering. */
const TICKET_NUMBER_LOCK = 7_201_001;

/** Who acts, as tickets record people: the Discord id, or the user id for password users. */
export interface Actor {
  id: string;
  name: string;
  avatar: string | null;
  /** Holds tickets.manage: may act on every ticket. */
  staff: boolean;
  /** Holds tickets.read: may see every ticket. */
  seesAll: boolean;
  role: 'admin' | 'moderator' | null;
}

export function actorOf(principal: UserPrincipal): Actor {
  const { user, permissions } = principal;
  return {
    id: user.discordId ?? user.id,
    name: user.displayName ?? user.username,
    avatar: user.avatarUrl,
    staff: permissions.has('tickets.manage'),
    seesAll: permissions.has('tickets.read'),
    role: user.role === 'lootling' ? null : user.role,
  };
}

export interface TicketQuery {
  status?: TicketStatus | 'all';
  /** Only the caller's own tickets, even for staff. */
  mine?: boolean;
  limit: number;
  offset: number;
}

export interface ReaderView {
  unreadCount: number;
  lastMessage: TicketMessage | null;
}

export interface NewTicket {
  type: string;
  subject: string;
  description: string;
}

export interface TicketPatch {
  status?: TicketStatus;
  type?: string;
  claimedBy?: string | null;
  assignedTo?: string | null;
}

/**
 * Tickets and their messages. Every rule lives here, whichever transport calls: a member sees and
 * touches only their own tickets (another's is "not found"), staff act by permission.
 */
@Injectable()
export class TicketsService {
  private readonly rooms = new Map<string, { queue: SerialQueue; pending: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly events: TicketEvents,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly mirror: TicketMirror,
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
    @InjectRepository(TicketMessage) private readonly messages: Repository<TicketMessage>,
    @InjectRepository(TicketRead) private readonly reads: Repository<TicketRead>,
  ) {}

  async list(actor: Actor, query: TicketQuery): Promise<{ tickets: Ticket[]; total: number }> {
    const qb = this.tickets
      .createQueryBuilder('t')
      .orderBy('t.ticket_num', 'DESC')
      .take(Math.min(query.limit, MAX_PAGE))
      .skip(query.offset);
    if (query.mine || !actor.seesAll) qb.andWhere('t.opener_id = :opener', { opener: actor.id });
    if (query.status && query.status !== 'all')
      qb.andWhere('t.status = :status', { status: query.status });
    const [tickets, total] = await qb.getManyAndCount();
    return { tickets, total };
  }

  /** The ticket, if the actor may read it; otherwise "not found", so ids reveal nothing. */
  async get(actor: Actor, id: string): Promise<Ticket> {
    const ticket = await this.tickets.findOneBy({ id });
    if (!ticket || !(actor.seesAll || ticket.openerId === actor.id)) throw TicketNotFound();
    return ticket;
  }

  async create(actor: Actor, input: NewTicket): Promise<Ticket> {
    return (await this.open(actor, input)).ticket;
  }

  /**
   * Opens a ticket. With Discord, its channel is queued in the same transaction: `channelJob` is that
   * outbox message. With `deliverChannel` the caller delivers it at once (OutboxService.deliverNow);
   * the worker takes it only if that fails.
   */
  async open(
    actor: Actor,
    input: NewTicket,
    options: { deliverChannel?: boolean } = {},
  ): Promise<{ ticket: Ticket; channelJob: string | null }> {
    const { categories, cooldownMinutes } = this.config.tickets;
    if (!categories.includes(input.type)) throw InvalidTicketType(categories);
    if (!actor.staff && cooldownMinutes > 0) {
      const since = new Date(Date.now() - cooldownMinutes * 60_000);
      const recent = await this.tickets.findOne({
        where: { openerId: actor.id, createdAt: MoreThan(since) },
        order: { createdAt: 'DESC' },
      });
      if (recent) {
        const wait = Math.ceil(
          (recent.createdAt.getTime() + cooldownMinutes * 60_000 - Date.now()) / 60_000,
        );
        throw TicketCooldown(Math.max(1, wait));
      }
    }
    return this.transactions.run(async (manager) => {
      // Numbers come from MAX + 1, so concurrent creators take turns. SQLite transactions already run
      // one at a time; on PostgreSQL a transaction-scoped advisory lock does the same.
      if (manager.connection.options.type === 'postgres') {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [TICKET_NUMBER_LOCK]);
      }
      const row = await manager
        .createQueryBuilder(Ticket, 't')
        .select('MAX(t.ticket_num)', 'max')
        .getRawOne<{ max: number | string | null }>();
      const floor = await manager.findOneBy(TicketSequence, { name: TICKET_SEQUENCE });
      const ticket = manager.create(Ticket, {
        id: randomUUID(),
        ticketNum: Math.max(Number(row?.max ?? 0) + 1, floor?.nextValue ?? 0),
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
        channelId: null,
        closeReason: null,
        closedBy: null,
        closedAt: null,
      });
      await manager.insert(Ticket, ticket);
      const channelJob = await this.mirror.openWith(manager, ticket.id, options.deliverChannel);
      return { ticket: await manager.findOneByOrFail(Ticket, { id: ticket.id }), channelJob };
    });
  }

  async update(actor: Actor, id: string, patch: TicketPatch): Promise<Ticket> {
    const ticket = await this.get(actor, id);
    if (!actor.staff) throw NotTicketStaff('update');
    if (patch.type !== undefined && !this.config.tickets.categories.includes(patch.type)) {
      throw InvalidTicketType(this.config.tickets.categories);
    }
    await this.save(ticket.id, {
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.type !== undefined && { type: patch.type }),
      ...(patch.claimedBy !== undefined && { claimedBy: patch.claimedBy, claimedByName: null }),
      ...(patch.assignedTo !== undefined && { assignedTo: patch.assignedTo, assignedToName: null }),
    });
    return this.get(actor, id);
  }

  async delete(actor: Actor, id: string): Promise<Ticket> {
    const ticket = await this.get(actor, id);
    await this.transactions.run((manager) => manager.delete(Ticket, ticket.id));
    return ticket;
  }

  /** Claims for `claimer` (staff pick who; default: the caller). */
  async claim(
    actor: Actor,
    id: string,
    claimer?: { id: string; name: string | null },
  ): Promise<Ticket> {
    const ticket = await this.get(actor, id);
    if (!actor.staff) throw NotTicketStaff('claim');
    if (ticket.status === 'closed') throw TicketClosed('claim');
    if (ticket.claimedBy) throw TicketAlreadyClaimed();
    const who = claimer ?? { id: actor.id, name: actor.name };
    // Conditional, so two staff claiming at once cannot both win.
    const claimed = await this.transactions.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(Ticket)
        .set({ claimedBy: who.id, claimedByName: who.name, status: 'claimed' })
        .where('id = :id AND claimed_by IS NULL AND status <> :closed', {
          id: ticket.id,
          closed: 'closed',
        })
        .execute();
      if ((result.affected ?? 0) !== 1) return false;
      await this.mirror.noticeWith(
        manager,
        ticket.id,
        `✋ **Ticket claimed by ${who.name ?? who.id}**`,
      );
      return true;
    });
    if (!claimed) throw TicketAlreadyClaimed();
    this.events.publish({ type: 'ticket_claimed', ticketId: ticket.id, claimedBy: who.id });
    return this.get(actor, id);
  }

  async assign(
    actor: Actor,
    id: string,
    assignee: { id: string; name: string | null },
  ): Promise<Ticket> {
    const ticket = await this.get(actor, id);
    if (!actor.staff) throw NotTicketStaff('assign');
    if (ticket.status === 'closed') throw TicketClosed('assign');
    await this.transactions.run(async (manager) => {
      await manager.update(Ticket, ticket.id, {
        assignedTo: assignee.id,
        assignedToName: assignee.name,
      });
      await this.mirror.noticeWith(
        manager,
        ticket.id,
        `👤 **Ticket assigned to ${assignee.name ?? assignee.id}**`,
      );
    });
    this.events.publish({ type: 'ticket_assigned', ticketId: ticket.id, assignedTo: assignee.id });
    return this.get(actor, id);
  }

  async close(actor: Actor, id: string, reason: string | null): Promise<Ticket> {
    const ticket = await this.get(actor, id);
    if (!actor.staff && ticket.openerId !== actor.id) throw NotTicketStaff('close');
    if (!(await this.closeWith(ticket, actor.id, reason || null))) throw TicketAlreadyClosed();
    return this.get(actor, id);
  }

  /** The transcript written when the ticket closed. */
  async transcript(actor: Actor, id: string): Promise<{ text: string; html: string }> {
    const ticket = await this.get(actor, id);
    if (!ticket.transcriptText || !ticket.transcriptHtml) throw TicketNotClosed();
    return { text: ticket.transcriptText, html: ticket.transcriptHtml };
  }

  /**
   * Closes a ticket unless it is already closed: status, transcript and (with SUPPORT_EMAIL and
   * e-mail enabled) the transcript e-mail, in one transaction. False when it was already closed.
   */
  private async closeWith(
    ticket: Ticket,
    closedBy: string,
    reason: string | null,
  ): Promise<boolean> {
    const closedAt = new Date();
    const closed = await this.transactions.run(async (manager) => {
      const messages = await manager.find(TicketMessage, {
        where: { ticketId: ticket.id },
        order: { id: 'ASC' },
      });
      const { text, html } = transcriptOf(ticket, messages, closedAt, reason);
      const result = await manager
        .createQueryBuilder()
        .update(Ticket)
        .set({
          status: 'closed',
          closedAt,
          closedBy,
          closeReason: reason,
          transcriptText: text,
          transcriptHtml: html,
        })
        .where('id = :id AND status <> :closed', { id: ticket.id, closed: 'closed' })
        .execute();
      if ((result.affected ?? 0) !== 1) return false;
      await this.mirror.closedWith(manager, ticket.id);
      const to = this.config.email.supportEmail;
      if (to && this.mail.enabled) {
        await this.outbox.enqueue(manager, EMAIL_OUTBOX_KIND, {
          to,
          subject: `Ticket #${ticket.ticketNum} closed: ${ticket.subject}`,
          text,
          html,
        });
      }
      return true;
    });
    if (closed)
      this.events.publish({
        type: 'ticket_closed',
        ticketId: ticket.id,
        closeMessage: reason ?? '',
      });
    return closed;
  }

  /** Closes open tickets nobody has written in for TICKET_AUTO_CLOSE_HOURS. Returns how many. */
  async closeInactive(now = new Date()): Promise<number> {
    const hours = this.config.tickets.autoCloseHours;
    if (hours <= 0) return 0;
    const cutoff = new Date(now.getTime() - hours * 3_600_000);
    const idle = await this.tickets
      .createQueryBuilder('t')
      .where('t.status <> :closed', { closed: 'closed' })
      .andWhere('t.updated_at < :cutoff', { cutoff })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = t.id AND m.created_at >= :cutoff)`,
        { cutoff },
      )
      .getMany();
    let closed = 0;
    for (const ticket of idle) {
      if (
        await this.closeWith(
          ticket,
          'system',
          `Closed automatically after ${hours} hours without activity`,
        )
      )
        closed += 1;
    }
    return closed;
  }

  /** Deletes tickets closed more than TICKET_DELETE_AFTER_DAYS ago. Returns how many. */
  async deleteExpired(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.tickets.deleteAfterDays * 86_400_000);
    const result = await this.transactions.run((manager) =>
      manager
        .createQueryBuilder()
        .delete()
        .from(Ticket)
        .where('status = :closed AND closed_at < :cutoff', { closed: 'closed', cutoff })
        .execute(),
    );
    return result.affected ?? 0;
  }

  /** Back to open, claim and assignment cleared; at most MAX_REOPENS times. */
  async reopen(actor: Actor, id: string): Promise<Ticket> {
    const ticket = await this.get(actor, id);
    if (!actor.staff && ticket.openerId !== actor.id) throw NotTicketStaff('reopen');
    if (ticket.status !== 'closed') throw TicketNotClosed();
    const reopened = await this.transactions.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(Ticket)
        .set({
          status: 'open',
          claimedBy: null,
          claimedByName: null,
          assignedTo: null,
          assignedToName: null,
          reopenCount: () => 'reopen_count + 1',
        })
        .where('id = :id AND status = :closed AND reopen_count < :max', {
          id: ticket.id,
          closed: 'closed',
          max: MAX_REOPENS,
        })
        .execute();
      if ((result.affected ?? 0) !== 1) return false;
      await this.mirror.reopenedWith(manager, ticket.id);
      return true;
    });
    if (!reopened) throw ReopenLimit(MAX_REOPENS);
    this.events.publish({ type: 'ticket_reopened', ticketId: ticket.id });
    return this.get(actor, id);
  }

  /** Messages in stored order (oldest first), paged by id. */
  async messagesOf(
    actor: Actor,
    id: string,
    page: { after?: number; limit: number },
  ): Promise<TicketMessage[]> {
    const ticket = await this.get(actor, id);
    return this.messages.find({
      where: { ticketId: ticket.id, ...(page.after !== undefined && { id: MoreThan(page.after) }) },
      order: { id: 'ASC' },
      take: Math.min(page.limit, 1000),
    });
  }

  /** History of a ticket for a token-less socket that knows the ticket's id (SOCKET_ALLOW_ANONYMOUS). */
  async messagesOfAnyTicket(id: string, limit: number): Promise<TicketMessage[]> {
    if (!(await this.tickets.existsBy({ id }))) throw TicketNotFound();
    return this.messages.find({ where: { ticketId: id }, order: { id: 'ASC' }, take: limit });
  }

  /** Stores a message from the app: the opener on their own ticket, or staff on any. */
  async postMessage(
    actor: Actor,
    id: string,
    content: string,
    attachments: string[] = [],
  ): Promise<TicketMessage> {
    const ticket = await this.get(actor, id);
    if (!actor.staff && ticket.openerId !== actor.id) throw NotTicketStaff('message');
    if (ticket.status === 'closed') throw TicketClosed('message');
    // Per ticket, storing and publishing happen in one turn, so every subscriber hears a room's
    // messages in stored order.
    return this.inRoomOrder(ticket.id, async () => {
      const message = await this.transactions.run(async (manager) => {
        const result = await manager.insert(TicketMessage, {
          ticketId: ticket.id,
          authorId: actor.id,
          authorName: actor.name,
          authorAvatar: actor.avatar,
          content,
          isStaff: actor.staff,
          source: 'app',
          attachments,
        });
        const messageId = (result.identifiers[0] as { id: number }).id;
        await this.markReadWith(manager, ticket.id, actor.id, messageId);
        await this.mirror.messageWith(manager, ticket.id, messageId);
        return manager.findOneByOrFail(TicketMessage, { id: messageId });
      });
      this.events.publish({ type: 'new_message', ticketId: ticket.id, message, role: actor.role });
      return message;
    });
  }

  findById(id: string): Promise<Ticket | null> {
    return this.tickets.findOneBy({ id });
  }

  /** The ticket mirrored in a Discord channel, if any. */
  async findByChannel(channelId: string): Promise<Ticket | null> {
    return this.tickets.findOneBy({ channelId });
  }

  /**
   * Stores a message written in the ticket's Discord channel and publishes it to the app. A message
   * Discord delivers twice (a resumed gateway session) is stored once: null the second time.
   */
  async recordDiscordMessage(
    ticket: Ticket,
    author: Actor,
    discordMessageId: string,
    content: string,
    attachments: string[],
  ): Promise<TicketMessage | null> {
    return this.inRoomOrder(ticket.id, async () => {
      let message: TicketMessage;
      try {
        message = await this.transactions.run(async (manager) => {
          const result = await manager.insert(TicketMessage, {
            ticketId: ticket.id,
            authorId: author.id,
            authorName: author.name,
            authorAvatar: author.avatar,
            content,
            isStaff: author.staff,
            source: 'discord',
            discordMessageId,
            attachments,
          });
          const messageId = (result.identifiers[0] as { id: number }).id;
          await this.markReadWith(manager, ticket.id, author.id, messageId);
          return manager.findOneByOrFail(TicketMessage, { id: messageId });
        });
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
      this.events.publish({ type: 'new_message', ticketId: ticket.id, message, role: author.role });
      return message;
    });
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    const ticket = await this.get(actor, id);
    const last = await this.messages.findOne({
      where: { ticketId: ticket.id },
      order: { id: 'DESC' },
    });
    await this.transactions.run((manager) =>
      this.markReadWith(manager, ticket.id, actor.id, last?.id ?? 0),
    );
  }

  /** Unread count and last message of each ticket, for one reader, in two queries. */
  async readerViews(actor: Actor, tickets: Ticket[]): Promise<Map<string, ReaderView>> {
    const views = new Map<string, ReaderView>(
      tickets.map((t) => [t.id, { unreadCount: 0, lastMessage: null }]),
    );
    if (tickets.length === 0) return views;
    const ids = tickets.map((t) => t.id);
    const unread = await this.messages
      .createQueryBuilder('m')
      .select('m.ticket_id', 'ticketId')
      .addSelect('COUNT(*)', 'count')
      .leftJoin(TicketRead, 'r', 'r.ticket_id = m.ticket_id AND r.reader_id = :reader', {
        reader: actor.id,
      })
      .where('m.ticket_id IN (:...ids)', { ids })
      .andWhere('m.author_id <> :reader', { reader: actor.id })
      .andWhere('m.id > COALESCE(r.last_read_message_id, 0)')
      .groupBy('m.ticket_id')
      .getRawMany<{ ticketId: string; count: string | number }>();
    for (const row of unread) {
      const view = views.get(row.ticketId);
      if (view) view.unreadCount = Number(row.count);
    }
    const latestIds = await this.messages
      .createQueryBuilder('m')
      .select('MAX(m.id)', 'id')
      .where('m.ticket_id IN (:...ids)', { ids })
      .groupBy('m.ticket_id')
      .getRawMany<{ id: number | string }>();
    if (latestIds.length > 0) {
      const latest = await this.messages.findBy({ id: In(latestIds.map((row) => Number(row.id))) });
      for (const message of latest) {
        const view = views.get(message.ticketId);
        if (view) view.lastMessage = message;
      }
    }
    return views;
  }

  private async markReadWith(
    manager: EntityManager,
    ticketId: string,
    readerId: string,
    messageId: number,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(TicketRead)
      .values({ ticketId, readerId, lastReadMessageId: messageId })
      .orUpdate(['last_read_message_id'], ['ticket_id', 'reader_id'])
      .execute();
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

  private async save(id: string, changes: Partial<Ticket>): Promise<void> {
    await this.transactions.run((manager) => manager.update(Ticket, id, changes));
  }
}
