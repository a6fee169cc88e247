import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, MoreThan, Not, Repository } from 'typeorm';
import { columns, HotSql, Rows, runSql, type SqlParam, type SqlRow } from '../core/database';
import { TicketMessage } from './ticket-message.entity';
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
export interface ReaderView {
  unreadCount: number;
  /** Text of the newest message. */
  lastMessage: string | null;
}

/** A ticket without its transcripts, as hot SQL selects it. */
const TICKET = columns('t', [
  'id',
  'ticket_num',
  'type',
  'subject',
  'description',
  'status',
  'opener_id',
  'opener_name',
  'opener_avatar',
  'claimed_by',
  'claimed_by_name',
  'assigned_to',
  'assigned_to_name',
  'reopen_count',
  'channel_id',
  'close_reason',
  'closed_by',
  'created_at',
  'updated_at',
  'closed_at',
] as const);
/** The reader's view of a ticket, selected after its columns. */
const UNREAD = TICKET.sql.split(', ').length;
const LAST_MESSAGE = UNREAD + 1;
const MESSAGE = columns('', [
  'id',
  'ticket_id',
  'seq',
  'author_id',
  'author_name',
  'author_avatar',
  'author_role',
  'content',
  'is_staff',
  'source',
  'discord_message_id',
  'attachments',
  'created_at',
] as const);

/** A ticket as one reader sees it in a list. Shared by every request that reads the same rows. */
export interface TicketWithView {
  readonly ticket: Ticket;
  readonly reader: ReaderView;
}

export type NewMessage = Omit<TicketMessage, 'id' | 'ticket' | 'createdAt' | 'seq'>;

/** The tickets' SQL, in one place: named queries, and only the columns their callers use. */
@Injectable()
export class TicketsRepository {
  private readonly pages = new Map<string, { page: string; count: string }>();
  private readonly views = new WeakMap<SqlRow[], readonly TicketWithView[]>();

  constructor(
    private readonly sql: HotSql,
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
  ) {}

  async find(id: string): Promise<Ticket | null> {
    const row = await this.sql.row(`SELECT ${TICKET.sql} FROM tickets t WHERE t.id = ?`, [id]);
    return row ? toTicket(row) : null;
  }

  /** With its transcripts. */
  findWhole(id: string): Promise<Ticket | null> {
    return this.tickets.findOneBy({ id });
  }

  async findByChannel(channelId: string): Promise<Ticket | null> {
    const row = await this.sql.row(`SELECT ${TICKET.sql} FROM tickets t WHERE t.channel_id = ?`, [
      channelId,
    ]);
    return row ? toTicket(row) : null;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.sql.row('SELECT 1 FROM tickets WHERE id = ?', [id])) !== undefined;
  }

  /**
   * A page of tickets, newest first, each with the reader's unread count and last message (as
   * subqueries of the page's rows, on the (ticket_id, id) index), and the total: one statement,
   * and a count when the page is full or past the end.
   */
  async page(
    filter: { openerId?: string; status?: TicketStatus },
    reader: string,
    limit: number,
    offset: number,
  ): Promise<{ tickets: readonly TicketWithView[]; total: number }> {
    const where: string[] = [];
    const params: SqlParam[] = [];
    if (filter.openerId !== undefined) {
      where.push('t.opener_id = ?');
      params.push(filter.openerId);
    }
    if (filter.status !== undefined) {
      where.push('t.status = ?');
      params.push(filter.status);
    }
    const { page, count } = this.pageSql(where);
    const rows = await this.sql.cachedRows(page, [reader, reader, ...params, limit, offset]);
    // A page that is not full, and not past the end, already says how many there are.
    const known = rows.length < limit && (rows.length > 0 || offset === 0);
    const total = known
      ? offset + rows.length
      : Rows.int((await this.sql.cachedRows(count, params))[0]?.[0] ?? 0);
    return { tickets: this.readerViews(rows), total };
  }

  /**
   * The tickets and reader views of a page's rows. Rows the read cache hands out again (the same
   * array, until the database changes) give the same frozen array again, so the mapping and what
   * callers derive from it (see TicketListViews) are done once per change, not once per request.
   */
  private readerViews(rows: SqlRow[]): readonly TicketWithView[] {
    let views = this.views.get(rows);
    if (!views) {
      views = Object.freeze(
        rows.map((row) => Object.freeze({ ticket: toTicket(row), reader: toView(row) })),
      );
      this.views.set(rows, views);
    }
    return views;
  }

  /** One ticket with the reader's view of it, in one statement. */
  async findWithView(
    id: string,
    reader: string,
  ): Promise<{ ticket: Ticket; reader: ReaderView } | null> {
    const [row] = await this.sql.cachedRows(this.pageSql(['t.id = ?']).page, [
      reader,
      reader,
      id,
      1,
      0,
    ]);
    return row ? { ticket: toTicket(row), reader: toView(row) } : null;
  }

  /** The page and count statements for a set of conditions, built once per set. */
  private pageSql(where: string[]): { page: string; count: string } {
    const key = where.join(' AND ');
    let sql = this.pages.get(key);
    if (!sql) {
      const condition = where.length ? ` WHERE ${key}` : '';
      sql = {
        page:
          `SELECT ${TICKET.sql}, ` +
          '(SELECT COUNT(*) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.author_id <> ? ' +
          'AND m.id > COALESCE((SELECT r.last_read_message_id FROM ticket_reads r ' +
          'WHERE r.ticket_id = t.id AND r.reader_id = ?), 0)), ' +
          '(SELECT m.content FROM ticket_messages m WHERE m.ticket_id = t.id ORDER BY m.id DESC LIMIT 1) ' +
          `FROM tickets t${condition} ORDER BY t.ticket_num DESC LIMIT ? OFFSET ?`,
        count: `SELECT COUNT(*) FROM tickets t${condition}`,
      };
      this.pages.set(key, sql);
    }
    return sql;
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

  /** How many tickets of the opener are not closed. */
  openCountOf(manager: EntityManager, openerId: string): Promise<number> {
    return manager.count(Ticket, { where: { openerId, status: Not('closed') } });
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
  async messagesOf(
    ticketId: string,
    page: { after?: number; limit: number },
  ): Promise<TicketMessage[]> {
    const rows =
      page.after === undefined
        ? await this.sql.cachedRows(
            `SELECT ${MESSAGE.sql} FROM ticket_messages WHERE ticket_id = ? ORDER BY id LIMIT ?`,
            [ticketId, page.limit],
          )
        : await this.sql.cachedRows(
            `SELECT ${MESSAGE.sql} FROM ticket_messages WHERE ticket_id = ? AND id > ? ORDER BY id LIMIT ?`,
            [ticketId, page.after, page.limit],
          );
    return rows.map(toMessage);
  }

  /** The messages of a ticket numbered from `first` to `last`, in order. */
  async messagesNumbered(ticketId: string, first: number, last: number): Promise<TicketMessage[]> {
    const rows = await this.sql.rows(
      `SELECT ${MESSAGE.sql} FROM ticket_messages WHERE ticket_id = ? AND seq >= ? AND seq <= ? ORDER BY seq`,
      [ticketId, first, last],
    );
    return rows.map(toMessage);
  }

  allMessagesOf(manager: EntityManager, ticketId: string): Promise<TicketMessage[]> {
    return manager.find(TicketMessage, { where: { ticketId }, order: { id: 'ASC' } });
  }

  /**
   * Stores a message under the next number of its ticket and returns it as stored, without reading
   * it back. Taking the number locks the ticket's row until the transaction ends, so the messages of
   * one ticket are numbered in commit order, on every instance.
   */
  async insertMessage(manager: EntityManager, row: NewMessage): Promise<TicketMessage> {
    const createdAt = new Date();
    const numbered = await runSql<{ message_seq: unknown }>(
      manager,
      'UPDATE tickets SET message_seq = message_seq + 1 WHERE id = ? RETURNING message_seq',
      [row.ticketId],
    );
    if (numbered.rows.length === 0) throw new Error(`Ticket ${row.ticketId} does not exist`);
    const seq = Rows.int(numbered.rows[0].message_seq);
    const { rows } = await runSql<{ id: unknown }>(
      manager,
      'INSERT INTO ticket_messages (ticket_id, seq, author_id, author_name, author_avatar, ' +
        'author_role, content, is_staff, source, discord_message_id, attachments, created_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [
        row.ticketId,
        seq,
        row.authorId,
        row.authorName,
        row.authorAvatar,
        row.authorRole,
        row.content,
        row.isStaff,
        row.source,
        row.discordMessageId,
        JSON.stringify(row.attachments),
        createdAt,
      ],
    );
    return Object.assign(new TicketMessage(), row, { id: Rows.int(rows[0].id), seq, createdAt });
  }

  async lastMessageId(ticketId: string): Promise<number> {
    const last = await this.sql.row('SELECT MAX(id) FROM ticket_messages WHERE ticket_id = ?', [
      ticketId,
    ]);
    return last?.[0] === null || last?.[0] === undefined ? 0 : Rows.int(last[0]);
  }

  async markRead(
    manager: EntityManager,
    ticketId: string,
    readerId: string,
    messageId: number,
  ): Promise<void> {
    await runSql(
      manager,
      'INSERT INTO ticket_reads (ticket_id, reader_id, last_read_message_id) VALUES (?, ?, ?) ' +
        'ON CONFLICT (ticket_id, reader_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id',
      [ticketId, readerId, messageId],
    );
  }
}

function toTicket(row: SqlRow): Ticket {
  const at = TICKET.at;
  return Object.assign(new Ticket(), {
    id: row[at.id] as string,
    ticketNum: Rows.int(row[at.ticket_num]),
    type: row[at.type] as string,
    subject: row[at.subject] as string,
    description: row[at.description] as string,
    status: row[at.status] as TicketStatus,
    openerId: row[at.opener_id] as string,
    openerName: row[at.opener_name] as string,
    openerAvatar: row[at.opener_avatar] as string | null,
    claimedBy: row[at.claimed_by] as string | null,
    claimedByName: row[at.claimed_by_name] as string | null,
    assignedTo: row[at.assigned_to] as string | null,
    assignedToName: row[at.assigned_to_name] as string | null,
    reopenCount: Rows.int(row[at.reopen_count]),
    channelId: row[at.channel_id] as string | null,
    closeReason: row[at.close_reason] as string | null,
    closedBy: row[at.closed_by] as string | null,
    createdAt: Rows.date(row[at.created_at]),
    updatedAt: Rows.date(row[at.updated_at]),
    closedAt: Rows.dateOrNull(row[at.closed_at]),
  });
}

function toView(row: SqlRow): ReaderView {
  return {
    unreadCount: Rows.int(row[UNREAD] ?? 0),
    lastMessage: (row[LAST_MESSAGE] as string | null) ?? null,
  };
}

function toMessage(row: SqlRow): TicketMessage {
  const at = MESSAGE.at;
  return Object.assign(new TicketMessage(), {
    id: Rows.int(row[at.id]),
    ticketId: row[at.ticket_id] as string,
    seq: Rows.int(row[at.seq]),
    authorId: row[at.author_id] as string,
    authorName: row[at.author_name] as string,
    authorAvatar: row[at.author_avatar] as string | null,
    authorRole: row[at.author_role] as TicketMessage['authorRole'],
    content: row[at.content] as string,
    isStaff: Rows.bool(row[at.is_staff]),
    source: row[at.source] as TicketMessage['source'],
    discordMessageId: row[at.discord_message_id] as string | null,
    attachments: JSON.parse((row[at.attachments] as string | null) ?? '[]') as string[],
    createdAt: Rows.date(row[at.created_at]),
  });
}
