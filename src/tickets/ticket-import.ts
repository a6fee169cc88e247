import type { TicketStatus } from './ticket.entity';

/** A ticket of the original server's tickets.json, as Guildhall stores it. */
export interface ImportedTicket {
  id: string;
  ticketNum: number;
  type: string;
  subject: string;
  description: string;
  status: TicketStatus;
  openerId: string;
  claimedBy: string | null;
  assignedTo: string | null;
  channelId: string | null;
  reopenCount: number;
  closedBy: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface Skipped {
  index: number;
  reason: string;
}

const STATUSES: Record<string, TicketStatus> = {
  open: 'open',
  claimed: 'claimed',
  closed: 'closed',
  assigned: 'open',
};

/** Reads tickets.json records (ids may be exact digit strings: see parseJsonBody). */
export function parseTicketRecords(records: unknown): {
  tickets: ImportedTicket[];
  skipped: Skipped[];
} {
  const tickets: ImportedTicket[] = [];
  const skipped: Skipped[] = [];
  if (!Array.isArray(records))
    return { tickets, skipped: [{ index: 0, reason: 'tickets.json is not a list' }] };
  records.forEach((raw: unknown, index) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const id = idOf(r.ticket_id);
    const ticketNum = Number(r.ticket_num);
    const openerId = idOf(r.user_id);
    if (!id || !/^[\w-]{1,36}$/.test(id))
      return skipped.push({ index, reason: 'no usable ticket_id' });
    if (!Number.isInteger(ticketNum) || ticketNum < 1)
      return skipped.push({ index, reason: 'no usable ticket_num' });
    if (!openerId) return skipped.push({ index, reason: 'no user_id' });
    const initial = typeof r.initial_message === 'string' ? r.initial_message : '';
    const match = /\*\*Subject:\*\*\s*(.*?)\s*\n+\*\*Description:\*\*\s*\n?([\s\S]*)$/.exec(
      initial,
    );
    tickets.push({
      id,
      ticketNum,
      type: (typeof r.type === 'string' && r.type ? r.type : 'General').slice(0, 40),
      subject: (match?.[1] || `Ticket #${ticketNum}`).slice(0, 100),
      description: match ? match[2].trim() : initial,
      status:
        (typeof r.status === 'string' ? STATUSES[r.status.toLowerCase()] : undefined) ?? 'open',
      openerId,
      claimedBy: idOf(r.claimed_by),
      assignedTo: idOf(r.assigned_to),
      channelId: idOf(r.channel_id),
      reopenCount: Math.max(0, Math.min(3, Number(r.reopen_count) || 0)),
      closedBy: idOf(r.closed_by),
      createdAt: dateOf(r.created_at) ?? new Date(),
      closedAt: dateOf(r.closed_at),
    });
  });
  return { tickets, skipped };
}

function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
