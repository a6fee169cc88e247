import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, type FindOptionsSelect, MoreThan, Repository } from 'typeorm';
import { TicketMessage } from './ticket-message.entity';
import { TicketRead } from './ticket-read.entity';
import { TicketSequence } from './ticket-sequence.entity';
import { Ticket, type TicketStatus } from './ticket.entity';

/** The ticket_sequence row holding the floor for new ticket numbers. */
export const TICKET_SEQUENCE = 'ticket_num';

/** Every column but the transcripts, which only the transcript route and the mirror read. */
const SUMMARY_COLUMNS: (keyof Ticket)[] = [
  'id',
  'ticketNum',
  'type',
  'subject',
  'description',
  'status',
  'openerId',
  'openerName',
  'openerAvatar',
  'claimedBy',
  'claimedByName',
  'assignedTo',
  'assignedToName',
  'reopenCount',
  'channelId',
  'closeReason',
  'closedBy',
  'createdAt',
  'updatedAt',
  'closedAt',
];
const SUMMARY = Object.fromEntries(
  SUMMARY_COLUMNS.map((column) => [column, true]),
) as FindOptionsSelect<Ticket>;

export interface ReaderView {
  unreadCount: number;
  lastMessage: TicketMessage | null;
}

export type NewMessage = Omit<TicketMessage, 'id' | 'ticket' | 'createdAt'>;

/** The tickets' SQL, in one place: named queries, and only the columns their callers use. */
@Injectable()
export class TicketsRepository {
  constructor(
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
    @InjectRepository(TicketMessage) private readonly messages: Repository<TicketMessage>,
  ) {}

  find(id: string): Promise<Ticket | null> {
    return this.tickets.findOne({ select: SUMMARY, where: { id } });
  }

  /** With its transcripts. */
  findWhole(id: string): Promise<Ticket | null> {
    return this.tickets.findOneBy({ id });
  }

  findByChannel(channelId: string): Promise<Ticket | null> {
    return this.tickets.findOne({ select: SUMMARY, where: { channelId } });
  }

  exists(id: string): Promise<boolean> {
    return this.tickets.existsBy({ id });
  }

  /** Newest first. */
  async page(
    filter: { openerId?: string; status?: TicketStatus },
    limit: number,
    offset: number,
  ): Promise<{ tickets: Ticket[]; total: number }> {
    const where = {
      ...(filter.openerId !== undefined && { openerId: filter.openerId }),
      ...(filter.status !== undefined && { status: filter.status }),
    };
    // Two plain statements: findAndCount with a column selection and a page counts 0 (TypeORM 1.1).
    const [tickets, total] = await Promise.all([
      this.tickets.find({
        select: SUMMARY,
        where,
        order: { ticketNum: 'DESC' },
        take: limit,
        skip: offset,
      }),
      this.tickets.countBy(where),
    ]);
    return { tickets, total };
  }

  /** When the opener last opened a ticket after `since`, inside the caller's transaction. */
  async lastOpenedSince(
    manager: EntityManager,
    openerId: string,
    since: Date,
  ): Promise<Date | null> {
    const recent = await manager.findOne(Ticket, {
      select: { id: true, createdAt: true },
      where: { openerId, createdAt: MoreThan(since) },
      order: { createdAt: 'DESC' },
    });
    return recent?.createdAt ?? null;
  }

  /** The next ticket number: above every existing one and at least the imported floor. */
  async nextNumber(manager: EntityManager): Promise<number> {
    const row = await manager
      .createQueryBuilder(Ticket, 't')
      .select('MAX(t.ticket_num)', 'max')
      .getRawOne<{ max: number | string | null }>();
    const floor = await manager.findOneBy(TicketSequence, { name: TICKET_SEQUENCE });
    return Math.max(Number(row?.max ?? 0) + 1, floor?.nextValue ?? 0);
  }

  async insert(manager: EntityManager, ticket: Ticket): Promise<void> {
    await manager.insert(Ticket, ticket);
  }

  /**
   * Changes a ticket only while its status is one of `from` (and `extra` holds): the condition makes
   * concurrent changes take turns. True when it changed.
   */
  async transition(
    manager: EntityManager,
    id: string,
    from: readonly TicketStatus[],
    changes: Partial<Ticket> | Record<string, unknown>,
    extra?: { sql: string; parameters: Record<string, unknown> },
  ): Promise<boolean> {
    const query = manager
      .createQueryBuilder()
      .update(Ticket)
      .set(changes)
      .where('id = :id AND status IN (:...from)', { id, from });
    if (extra) query.andWhere(extra.sql, extra.parameters);
    const result = await query.execute();
    return (result.affected ?? 0) === 1;
  }

  async setFields(manager: EntityManager, id: string, changes: Partial<Ticket>): Promise<void> {
    await manager.update(Ticket, id, changes);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(Ticket, id);
  }

  /** Open or claimed tickets without a message or change since `cutoff`. */
  idleSince(cutoff: Date): Promise<Ticket[]> {
    return this.tickets
      .createQueryBuilder('t')
      .select(SUMMARY_COLUMNS.map((column) => `t.${column}`))
      .where('t.status <> :closed', { closed: 'closed' })
      .andWhere('t.updated_at < :cutoff', { cutoff })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = t.id AND m.created_at >= :cutoff)',
        { cutoff },
      )
      .getMany();
  }

  async deleteClosedBefore(manager: EntityManager, cutoff: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(Ticket)
      .where('status = :closed AND closed_at < :cutoff', { closed: 'closed', cutoff })
      .execute();
    return result.affected ?? 0;
  }

  /** Messages in stored order (oldest first), paged by id. */
  messagesOf(ticketId: string, page: { after?: number; limit: number }): Promise<TicketMessage[]> {
    return this.messages.find({
      where: { ticketId, ...(page.after !== undefined && { id: MoreThan(page.after) }) },
      order: { id: 'ASC' },
      take: page.limit,
    });
  }

  allMessagesOf(manager: EntityManager, ticketId: string): Promise<TicketMessage[]> {
    return manager.find(TicketMessage, { where: { ticketId }, order: { id: 'ASC' } });
  }

  /** Stores a message and returns it as stored, without reading it back. */
  async insertMessage(manager: EntityManager, row: NewMessage): Promise<TicketMessage> {
    const createdAt = new Date();
    const result = await manager.insert(TicketMessage, { ...row, createdAt });
    const id = Number((result.identifiers[0] as { id: number | string }).id);
    return Object.assign(new TicketMessage(), row, { id, createdAt });
  }

  async lastMessageId(ticketId: string): Promise<number> {
    const last = await this.messages.findOne({
      select: { id: true },
      where: { ticketId },
      order: { id: 'DESC' },
    });
    return last?.id ?? 0;
  }

  async markRead(
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

  /** Unread count and last message of each ticket, for one reader, in two queries. */
  async readerViews(readerId: string, ticketIds: string[]): Promise<Map<string, ReaderView>> {
    const views = new Map<string, ReaderView>(
      ticketIds.map((id) => [id, { unreadCount: 0, lastMessage: null }]),
    );
    if (ticketIds.length === 0) return views;
    const unread = await this.messages
      .createQueryBuilder('m')
      .select('m.ticket_id', 'ticketId')
      .addSelect('COUNT(*)', 'count')
      .leftJoin(TicketRead, 'r', 'r.ticket_id = m.ticket_id AND r.reader_id = :reader', {
        reader: readerId,
      })
      .where('m.ticket_id IN (:...ids)', { ids: ticketIds })
      .andWhere('m.author_id <> :reader', { reader: readerId })
      .andWhere('m.id > COALESCE(r.last_read_message_id, 0)')
      .groupBy('m.ticket_id')
      .getRawMany<{ ticketId: string; count: string | number }>();
    for (const row of unread) {
      const view = views.get(row.ticketId);
      if (view) view.unreadCount = Number(row.count);
    }
    const latest = await this.messages
      .createQueryBuilder('m')
      .where(
        (qb) =>
          `m.id IN ${qb
            .subQuery()
            .select('MAX(l.id)')
            .from(TicketMessage, 'l')
            .where('l.ticket_id IN (:...ids)')
            .groupBy('l.ticket_id')
            .getQuery()}`,
      )
      .setParameter('ids', ticketIds)
      .getMany();
    for (const message of latest) {
      const view = views.get(message.ticketId);
      if (view) view.lastMessage = message;
    }
    return views;
  }
}
