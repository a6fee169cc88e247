import { io, type Socket } from 'socket.io-client';

const WARM_UP = 'fan-out warm-up';

export interface FanoutResult {
  subscribers: number;
  messages: number;
  delivered: number;
  p50: number;
  p99: number;
}

/**
 * Connects `subscribers` socket.io clients to one ticket room, posts `messages` chat messages over REST
 * one after another, and measures from each POST to each subscriber's `ticket_update`. One message
 * before them warms the path up (as the HTTP scenarios' uncounted round does) and is not measured.
 */
export async function measureFanout(
  baseUrl: string,
  token: string,
  ticketId: string,
  subscribers: number,
  messages: number,
): Promise<FanoutResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < subscribers; i += 50) {
      const batch = Array.from({ length: Math.min(50, subscribers - i) }, () =>
        join(baseUrl, token, ticketId),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    let warmed = 0;
    for (const socket of sockets) {
      socket.on('ticket_update', (update: { event_type: string; data: { content?: string } }) => {
        if (update.event_type !== 'new_message') return;
        const sent = sentAt.get(update.data.content ?? '');
        if (sent !== undefined) latencies.push(performance.now() - sent);
        else if (update.data.content === WARM_UP) warmed += 1;
      });
    }
    const post = async (content: string, heard: () => number, expected: number) => {
      const res = await fetch(`${baseUrl}/api/tickets/${ticketId}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content }),
      });
      if (!res.ok) throw new Error(`posting a message failed: ${res.status}`);
      const deadline = performance.now() + 5000;
      while (heard() < expected && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
    };
    await post(WARM_UP, () => warmed, subscribers);
    for (let m = 0; m < messages; m += 1) {
      const content = `fan-out ${m}`;
      sentAt.set(content, performance.now());
      await post(content, () => latencies.length, (m + 1) * subscribers);
    }
  } finally {
    for (const socket of sockets) socket.close();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 10) /
    10;
  return { subscribers, messages, delivered: latencies.length, p50: at(0.5), p99: at(0.99) };
}

function join(baseUrl: string, token: string, ticketId: string): Promise<Socket> {
  const socket = io(baseUrl, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('message_history', () => resolve(socket));
    socket.once('connect', () => socket.emit('join_ticket', { ticket_id: ticketId }));
  });
}
