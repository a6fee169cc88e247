import type { RecordedEvent } from './analytics-recorder';
import { EventBuffer } from './event-buffer';

function event(n: number, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    at: new Date(Date.UTC(2026, 11, 1, 12, 0, n)),
    kind: 'request',
    name: 'tickets.get_tickets',
    method: 'GET',
    status: 200,
    userId: `user-${n % 2}`,
    sessionId: `session-${n % 2}`,
    platform: 'Android',
    appVersion: '3.1.0',
    props: null,
    client: {
      deviceInfo: 'Pixel 8',
      clientSessionId: `client-${n}`,
      ip: '203.0.113.7',
      userAgent: 'HazeBot-Admin/3.1.0',
    },
    ...overrides,
  };
}

describe('EventBuffer', () => {
  it('gives the events back oldest first, as recorded, until they are dropped', () => {
    const buffer = new EventBuffer();
    const recorded = [
      event(1),
      event(2, { kind: 'client', props: '{"screen":"tickets"}' }),
      event(3),
    ];
    for (const e of recorded) buffer.push(e);
    expect(buffer.length).toBe(3);
    expect(buffer.peek(2)).toEqual(recorded.slice(0, 2));
    // Peeking keeps them: a batch that fails to write is read again.
    expect(buffer.peek(10)).toEqual(recorded);
    buffer.drop(2);
    expect(buffer.length).toBe(1);
    expect(buffer.peek(10)).toEqual([recorded[2]]);
    buffer.drop(5);
    expect(buffer.length).toBe(0);
    expect(buffer.peek(10)).toEqual([]);
  });

  it('takes new events after the ones being written, and reuses its slots once empty', () => {
    const buffer = new EventBuffer();
    buffer.push(event(1));
    const batch = buffer.peek(10);
    buffer.push(event(2));
    buffer.drop(batch.length);
    expect(buffer.peek(10)).toEqual([event(2)]);
    buffer.drop(1);
    buffer.push(event(3));
    expect(buffer.peek(10)).toEqual([event(3)]);
  });
});
