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
  private readonly texts: (string | null)[][] = TEXT_FIELDS.map(() => []);
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
    const values = textsOf(event);
    for (let f = 0; f < TEXT_FIELDS.length; f += 1)
      this.texts[f][i] = f === PROPS ? values[f] : this.share(values[f]);
  }

  /** The oldest `count` events, still kept until `drop` says they were written. */
  peek(count: number): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    const last = Math.min(this.end, this.start + count);
    for (let i = this.start; i < last; i += 1) {
      const [name, method, userId, sessionId, platform, appVersion, props, ...client] =
        this.texts.map((column) => column[i]);
      events.push({
        at: new Date(this.at[i]),
        kind: this.kind[i],
        status: this.status[i],
        name: name!,
        method,
        userId: userId!,
        sessionId: sessionId!,
        platform,
        appVersion,
        props,
        client: {
          deviceInfo: client[0],
          clientSessionId: client[1],
          ip: client[2],
          userAgent: client[3],
        },
      });
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

const TEXT_FIELDS = [
  'name',
  'method',
  'userId',
  'sessionId',
  'platform',
  'appVersion',
  'props',
  'deviceInfo',
  'clientSessionId',
  'ip',
  'userAgent',
] as const;
/** A client event's own properties, seldom repeated: kept as they are. */
const PROPS = TEXT_FIELDS.indexOf('props');

function textsOf(event: RecordedEvent): (string | null)[] {
  const { client } = event;
  return [
    event.name,
    event.method,
    event.userId,
    event.sessionId,
    event.platform,
    event.appVersion,
    event.props,
    client.deviceInfo,
    client.clientSessionId,
    client.ip,
    client.userAgent,
  ];
}
