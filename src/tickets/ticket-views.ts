import type { MemberProfile } from '../core/discord';
import { servedUnchanged } from '../core/http';
import type { TicketDto, TicketListDto, TicketMessageDto } from './dto/tickets.dto';
import type { TicketMessage } from './ticket-message.entity';
import type { Ticket } from './ticket.entity';
import type { ReaderView, TicketWithView } from './tickets.repository';

const STATUS_LABEL = { open: 'Open', claimed: 'Claimed', closed: 'Closed' } as const;

/** Looks a person up by actor id (the bot's member cache); null when unknown. */
export type People = (id: string | null) => MemberProfile | null;

const nobody: People = () => null;

/**
 * The ticket as both clients read it (HazeBot's field names, ids as strings). Names and avatars come
 * from `people` (the guild's current ones) where it knows the person, else from what was stored.
 */
export function ticketView(
  ticket: Ticket,
  reader?: ReaderView,
  people: People = nobody,
): TicketDto {
  const opener = people(ticket.openerId);
  const claimer = people(ticket.claimedBy);
  const assignee = people(ticket.assignedTo);
  return {
    ticket_id: ticket.id,
    ticket_num: ticket.ticketNum,
    channel_id: ticket.channelId,
    user_id: ticket.openerId,
    username: ticket.openerName,
    display_name: opener?.name ?? ticket.openerName,
    avatar_url: opener?.avatarUrl ?? ticket.openerAvatar,
    type: ticket.type,
    status: STATUS_LABEL[ticket.status],
    subject: ticket.subject,
    description: ticket.description,
    // The app parses this exact format for subject and description.
    initial_message: `**Subject:** ${ticket.subject}\n\n**Description:**\n${ticket.description}`,
    created_at: ticket.createdAt.toISOString(),
    closed_at: ticket.closedAt?.toISOString() ?? null,
    close_reason: ticket.closeReason,
    claimed_by: ticket.claimedBy,
    claimed_by_name: ticket.claimedByName ?? claimer?.name ?? null,
    claimed_by_avatar: claimer?.avatarUrl ?? null,
    assigned_to: ticket.assignedTo,
    assigned_to_name: ticket.assignedToName ?? assignee?.name ?? null,
    assigned_to_avatar: assignee?.avatarUrl ?? null,
    reopen_count: ticket.reopenCount,
    unread_count: reader?.unreadCount ?? 0,
    last_message: reader?.lastMessage ?? null,
  };
}

/**
 * The ticket list's answers, made once per page of unchanged rows. The repository hands out the
 * same frozen array while the rows are unchanged; its answer is kept with what else shaped it (the
 * total, the paging, and the names and avatars `people` has for everyone on it), made again when
 * any of it differs, and served through servedUnchanged, so it is serialised once too.
 */
export class TicketListViews {
  private readonly answers = new WeakMap<
    readonly TicketWithView[],
    { shape: string; answer: TicketListDto }
  >();

  constructor(private readonly people: People) {}

  answer(
    tickets: readonly TicketWithView[],
    page: { total: number; limit: number; offset: number },
  ): TicketListDto {
    const shape = `${page.total}:${page.limit}:${page.offset}:${this.profiles(tickets)}`;
    const kept = this.answers.get(tickets);
    if (kept?.shape === shape) return kept.answer;
    const answer = servedUnchanged({
      tickets: tickets.map(({ ticket, reader }) => ticketView(ticket, reader, this.people)),
      ...page,
    });
    this.answers.set(tickets, { shape, answer });
    return answer;
  }

  /** The names and avatars the views would show, in order (empty while the bot knows no one). */
  private profiles(tickets: readonly TicketWithView[]): string {
    let text = '';
    const add = (id: string | null) => {
      const profile = this.people(id);
      if (profile) text += `${id}\u0000${profile.name}\u0000${profile.avatarUrl}\u0000`;
    };
    for (const { ticket } of tickets) {
      add(ticket.openerId);
      add(ticket.claimedBy);
      add(ticket.assignedTo);
    }
    return text;
  }
}

/** A message as every view shows it: the REST list and answers, the socket history and events. */
export function messageView(message: TicketMessage): TicketMessageDto {
  return {
    id: String(message.id),
    ticket_id: message.ticketId,
    author_id: message.authorId,
    author_name: message.authorName,
    author_avatar: message.authorAvatar,
    content: message.content,
    display_content: message.content,
    timestamp: message.createdAt.toISOString(),
    is_bot: false,
    is_admin: message.isStaff,
    role: message.authorRole,
    source: message.source,
    attachments: message.attachments,
  };
}
