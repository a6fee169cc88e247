import type { TicketMessage } from './ticket-message.entity';
import type { Ticket } from './ticket.entity';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The record kept with a closed ticket and sent to SUPPORT_EMAIL: plain text and HTML. */
export function transcriptOf(
  ticket: Ticket,
  messages: TicketMessage[],
  closedAt: Date,
  reason: string | null,
) {
  const header = [
    `Ticket #${ticket.ticketNum} (${ticket.type}): ${ticket.subject}`,
    `Opened by ${ticket.openerName} (${ticket.openerId}) at ${ticket.createdAt.toISOString()}`,
    `Closed at ${closedAt.toISOString()}${reason ? `: ${reason}` : ''}`,
  ];
  const lines = messages.map(
    (m) =>
      `[${m.createdAt.toISOString()}] ${m.authorName}${m.isStaff ? ' (staff)' : ''}: ${m.content}`,
  );
  const text = [...header, '', ticket.description, '', ...lines].join('\n') + '\n';
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>Ticket #${ticket.ticketNum}</title></head><body>` +
    `<h1>Ticket #${ticket.ticketNum}: ${escapeHtml(ticket.subject)}</h1>` +
    header
      .slice(1)
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('') +
    `<blockquote>${escapeHtml(ticket.description)}</blockquote><ol>` +
    messages
      .map(
        (m) =>
          `<li><time>${m.createdAt.toISOString()}</time> <strong>${escapeHtml(m.authorName)}</strong>` +
          `${m.isStaff ? ' (staff)' : ''}: ${escapeHtml(m.content)}</li>`,
      )
      .join('') +
    '</ol></body></html>\n';
  return { text, html };
}
