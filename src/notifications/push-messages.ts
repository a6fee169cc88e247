/** The setting keys the app shows, with what each gates. */
export const SETTING_KEYS = [
  'notifications_enabled',
  'ticket_new_messages',
  'ticket_mentions',
  'ticket_created',
  'ticket_assigned',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type SettingsView = Record<SettingKey, boolean>;

export const DEFAULT_SETTINGS: SettingsView = {
  notifications_enabled: true,
  ticket_new_messages: true,
  ticket_mentions: true,
  ticket_created: true,
  ticket_assigned: true,
};

const BODY_MAX = 100;

/** Text as a notification shows it: no Markdown, no HTML, one line, at most `max` characters. */
export function plainText(text: string, max = BODY_MAX): string {
  const plain = text
    .replace(/<[^>]*>/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ''))
    .replace(/(\*\*|__|\*|_|~~|`|\|\|)/g, '')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+])\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

interface TicketFacts {
  id: string;
  ticketNum: number;
}

/** The data keys the app reads (contract §5), all strings. */
function ticketData(
  ticket: TicketFacts,
  event: string,
  title: string,
  body: string,
): Record<string, string> {
  return {
    ticket_id: ticket.id,
    ticket_num: String(ticket.ticketNum),
    event_type: event,
    click_action: 'FLUTTER_NOTIFICATION_CLICK',
    route: `/tickets/${ticket.id}`,
    title: plainText(title, 200),
    body: plainText(body),
  };
}

export function newTicketPush(
  ticket: TicketFacts & { openerName: string; type: string; subject: string; description: string },
): Record<string, string> {
  const initial = plainText(ticket.description || ticket.subject, 80);
  return ticketData(
    ticket,
    'new_ticket',
    `New Ticket #${ticket.ticketNum}`,
    `${ticket.openerName} created a new ${ticket.type} ticket: ${initial}`,
  );
}

export function newMessagePush(
  ticket: TicketFacts,
  message: { authorName: string; content: string },
): Record<string, string> {
  // HazeBot relayed app messages as "Admin Panel - name: …"; only the name is kept.
  const author = message.authorName.replace(/^Admin Panel - /, '');
  return ticketData(
    ticket,
    'new_message',
    `New Message in Ticket #${ticket.ticketNum}`,
    `${author}: ${message.content}`,
  );
}

export function assignedPush(ticket: TicketFacts): Record<string, string> {
  return ticketData(
    ticket,
    'ticket_assigned',
    `Ticket #${ticket.ticketNum} Assigned`,
    'A ticket has been assigned to you',
  );
}

export function broadcastPush(broadcast: {
  id: string;
  title: string;
  message: string;
  priority: string;
}): Record<string, string> {
  return {
    event_type: 'broadcast',
    notification_type: 'broadcast',
    broadcast_id: broadcast.id,
    priority: broadcast.priority,
    click_action: 'FLUTTER_NOTIFICATION_CLICK',
    title: plainText(broadcast.title, 200),
    body: plainText(broadcast.message),
  };
}
