import { jsonText } from '../core/http/reused-json';
import type { MemberProfile } from '../core/discord';
import { TicketListViews } from './ticket-views';
import type { Ticket } from './ticket.entity';
import type { TicketWithView } from './tickets.repository';

function ticket(n: number, claimedBy: string | null = null): Ticket {
  return {
    id: `t${n}`,
    ticketNum: n,
    type: 'Support',
    subject: `Subject ${n}`,
    description: 'Help',
    status: claimedBy ? 'claimed' : 'open',
    openerId: `u${n}`,
    openerName: `opener ${n}`,
    openerAvatar: null,
    claimedBy,
    claimedByName: null,
    assignedTo: null,
    assignedToName: null,
    reopenCount: 0,
    channelId: null,
    closeReason: null,
    closedBy: null,
    createdAt: new Date('2026-12-01T10:00:00Z'),
    updatedAt: new Date('2026-12-01T10:00:00Z'),
    closedAt: null,
  } as unknown as Ticket;
}

describe('the ticket list views', () => {
  const page = { total: 2, limit: 50, offset: 0 };
  const rows: readonly TicketWithView[] = Object.freeze([
    { ticket: ticket(2, 'staff-1'), reader: { unreadCount: 1, lastMessage: 'hi' } },
    { ticket: ticket(1), reader: { unreadCount: 0, lastMessage: null } },
  ]);

  it('answer the same rows with the same frozen answer, serialised once', () => {
    const views = new TicketListViews(() => null);
    const first = views.answer(rows, page);
    expect(first.tickets.map((t) => [t.ticket_id, t.unread_count, t.last_message])).toEqual([
      ['t2', 1, 'hi'],
      ['t1', 0, null],
    ]);
    expect(Object.isFrozen(first.tickets[0])).toBe(true);
    expect(views.answer(rows, page)).toBe(first);
    expect(jsonText(views.answer(rows, page))).toBe(jsonText(first));
  });

  it('make a new answer for other rows, another total or other paging', () => {
    const views = new TicketListViews(() => null);
    const first = views.answer(rows, page);
    const other = Object.freeze([...rows]);
    expect(views.answer(other, page)).not.toBe(first);
    expect(views.answer(rows, { ...page, total: 3 }).total).toBe(3);
    expect(views.answer(rows, { ...page, offset: 1 }).offset).toBe(1);
  });

  it("make a new answer when someone's name or avatar changes", () => {
    const known = new Map<string, MemberProfile>([
      ['staff-1', { name: 'Staff One', avatarUrl: 'https://cdn/a.png' }],
    ]);
    const views = new TicketListViews((id) => (id ? (known.get(id) ?? null) : null));
    const first = views.answer(rows, page);
    expect(first.tickets[0].claimed_by_avatar).toBe('https://cdn/a.png');
    expect(views.answer(rows, page)).toBe(first);
    known.set('staff-1', { name: 'Staff One', avatarUrl: 'https://cdn/b.png' });
    const second = views.answer(rows, page);
    expect(second).not.toBe(first);
    expect(second.tickets[0].claimed_by_avatar).toBe('https://cdn/b.png');
    known.set('u1', { name: 'Opener One', avatarUrl: 'https://cdn/c.png' });
    expect(views.answer(rows, page).tickets[1].display_name).toBe('Opener One');
  });
});
