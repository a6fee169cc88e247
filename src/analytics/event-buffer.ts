import type { RecordedEvent } from './analytics-recorder';

/** Distinct texts kept for sharing; beyond it the table starts afresh. */
const MAX_TEXTS = 4096;

/**
 * The events waiting for a flush, kept so that recording retains nothing of the request it came
 * from. An event waits up to ANALYTICS_FLUSH_MS, long enough for the young generation to promote
 * whatever it holds, and an object per request (with its Date and the header strings of that
 * request) promoted at the request rate cost the ticket list about a tenth of its throughput in
 * garbage collection. Here each field is a column whose slots are written over again and again,
 * times are numbers, and texts are shared through a small table: a request's own copy of its
 * `X-Platform` header dies with the request, and the buffer points at one copy of each value.
 * Events are read out as objects only to be written.
 */
export class EventBuffer {
  private start = 0;
  private end = 0;
  private readonly at: number[] = [];
  private readonly status: (number | null)[] = [];
  private readonly kind: RecordedEvent['kind'][] = [];
  private readonly texts: Text[][] = TEXT_FIELDS.map(() => []);
  private readonly shared = new Map<string, string>();

  get length(): number {
    return this.end - this.start;
  }

  push(event: RecordedEvent): void {
    if (this.start === this.end) this.start = this.end = 0;
    const i = this.end;
    this.end += 1;
    this.at[i] = event.at.getTime();
    this.status[i] = event.status;
    this.kind[i] = event.kind;
    for (let f = 0; f < TEXT_FIELDS.length; f += 1) {
      const text = TEXT_FIELDS[f].read(event);
      this.texts[f][i] = TEXT_FIELDS[f].own ? text : this.share(text);
    }
  }

  /** The oldest `count` events, still kept until `drop` says they were written. */
  peek(count: number): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    const last = Math.min(this.end, this.start + count);
    for (let i = this.start; i < last; i += 1) {
      const event: RecordedEvent = {
        at: new Date(this.at[i]),
        kind: this.kind[i],
        status: this.status[i],
        name: '',
        method: null,
        userId: '',
        sessionId: '',
        platform: null,
        appVersion: null,
        props: null,
        client: { deviceInfo: null, clientSessionId: null, ip: null, userAgent: null },
      };
      TEXT_FIELDS.forEach((field, f) => field.write(event, this.texts[f][i]));
      events.push(event);
    }
    return events;
  }

  /** Forgets the oldest `count` events. */
  drop(count: number): void {
    this.start = Math.min(this.end, this.start + count);
  }

  private share(text: string | null): string | null {
    if (text === null) return null;
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    if (this.shared.size >= MAX_TEXTS) this.shared.clear();
    this.shared.set(text, text);
    return text;
  }
}

type Text = string | null;

/** How each text field is read off an event and put back: the columns, in one place. */
const TEXT_FIELDS: readonly {
  read(event: RecordedEvent): Text;
  write(event: RecordedEvent, text: Text): void;
  /** Seldom repeated (a client event's own properties): kept as it is, not shared. */
  own?: true;
}[] = [
  { read: (e) => e.name, write: (e, text) => (e.name = text!) },
  { read: (e) => e.method, write: (e, text) => (e.method = text) },
  { read: (e) => e.userId, write: (e, text) => (e.userId = text!) },
  { read: (e) => e.sessionId, write: (e, text) => (e.sessionId = text!) },
  { read: (e) => e.platform, write: (e, text) => (e.platform = text) },
  { read: (e) => e.appVersion, write: (e, text) => (e.appVersion = text) },
  { read: (e) => e.props, write: (e, text) => (e.props = text), own: true },
  { read: (e) => e.client.deviceInfo, write: (e, text) => (e.client.deviceInfo = text) },
  { read: (e) => e.client.clientSessionId, write: (e, text) => (e.client.clientSessionId = text) },
  { read: (e) => e.client.ip, write: (e, text) => (e.client.ip = text) },
  { read: (e) => e.client.userAgent, write: (e, text) => (e.client.userAgent = text) },
];
