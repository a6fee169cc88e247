import { type EntityManager, In } from 'typeorm';
import { AnalyticsDaily } from './analytics-daily.entity';
import { AnalyticsDaySession } from './analytics-day-session.entity';
import { AnalyticsDayUser } from './analytics-day-user.entity';
import { AnalyticsUser } from './analytics-user.entity';

/** What the rollups need of one recorded event. */
export interface RollupEvent {
  at: Date;
  kind: 'request' | 'client';
  name: string;
  userId: string;
  sessionId: string;
  platform: string | null;
  appVersion: string | null;
}

const DAY_MS = 86_400_000;
/** The last day asked for: a flush asks for the same day thousands of times. */
let lastDay = { start: 0, end: 0, text: '' };

/** The UTC day of `at`, as YYYY-MM-DD. */
export function dayOf(at: Date): string {
  const ms = at.getTime();
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.text;
  const start = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
  const text = new Date(start).toISOString().slice(0, 10);
  lastDay = { start, end: start + DAY_MS, text };
  return text;
}

interface DayDelta {
  sessions: number;
  uniqueUsers: number;
  newUsers: number;
  actions: number;
  sessionMs: number;
  platforms: Map<string, number>;
  appVersions: Map<string, number>;
  endpoints: Map<string, number>;
  features: Map<string, number>;
  hours: number[];
}

const CHUNK = 400;

/** A session's span within one UTC day. */
export interface SessionDay {
  day: string;
  sessionId: string;
  userId: string;
  platform: string;
  appVersion: string;
  firstAt: Date;
  lastAt: Date;
}

/** Counts added to a day as they are, for days known only by their totals. */
export interface DayTotals {
  sessions: number;
  uniqueUsers: number;
  newUsers: number;
  actions: number;
  sessionMs: number;
  platforms: Record<string, number>;
  endpoints: Record<string, number>;
}

/**
 * What a batch adds to the daily rollups, gathered in memory and then written at once: the per-day
 * counts grow by the batch, a session or user is counted once per day (their day rows say whether
 * they were seen already), and a session's time that day grows by how much the batch extends its
 * span. Recording, `analytics:rebuild` and the HazeBot import all fold through it, so they agree.
 */
export class RollupFold {
  private readonly deltas = new Map<string, DayDelta>();
  private readonly sessionDays = new Map<string, SessionDay>();
  private readonly dayUsers = new Map<string, { day: string; userId: string }>();
  private readonly firstDays = new Map<string, string>();

  /** `count` actions at `at`'s hour, of a request endpoint or a client feature. */
  action(at: Date, kind: 'request' | 'client', name: string, count = 1): void {
    this.actions(at, count);
    this.uses(dayOf(at), kind, name, count);
  }

  /** `count` actions at `at`'s hour, whatever they were. */
  actions(at: Date, count: number): void {
    const change = this.delta(dayOf(at));
    change.actions += count;
    change.hours[at.getUTCHours()] += count;
  }

  /** Uses of an endpoint or feature, their actions counted apart. */
  uses(day: string, kind: 'request' | 'client', name: string, count: number): void {
    const change = this.delta(day);
    bump(kind === 'request' ? change.endpoints : change.features, name, count);
  }

  /** The session was active from `firstAt` to `lastAt` of `span.day`; its user too. */
  session(span: SessionDay): void {
    const key = `${span.day}|${span.sessionId}`;
    const seen = this.sessionDays.get(key);
    if (seen) {
      if (span.firstAt < seen.firstAt) seen.firstAt = span.firstAt;
      if (span.lastAt > seen.lastAt) seen.lastAt = span.lastAt;
    } else {
      this.sessionDays.set(key, { ...span });
    }
    this.dayUsers.set(`${span.day}|${span.userId}`, { day: span.day, userId: span.userId });
    const first = this.firstDays.get(span.userId);
    if (!first || span.day < first) this.firstDays.set(span.userId, span.day);
  }

  /** Adds a day's totals as they are (no session or user rows stand behind them). */
  add(day: string, totals: Partial<DayTotals>): void {
    const change = this.delta(day);
    change.sessions += totals.sessions ?? 0;
    change.uniqueUsers += totals.uniqueUsers ?? 0;
    change.newUsers += totals.newUsers ?? 0;
    change.actions += totals.actions ?? 0;
    change.sessionMs += totals.sessionMs ?? 0;
    for (const [key, count] of Object.entries(totals.platforms ?? {}))
      bump(change.platforms, key, count);
    for (const [key, count] of Object.entries(totals.endpoints ?? {}))
      bump(change.endpoints, key, count);
  }

  get empty(): boolean {
    return this.deltas.size === 0 && this.sessionDays.size === 0;
  }

  /** Writes it all in the caller's transaction. */
  async write(manager: EntityManager): Promise<void> {
    if (this.empty) return;
    const delta = (day: string) => this.delta(day);
    await foldSessions(manager, [...this.sessionDays.values()], delta);
    await foldUsers(manager, [...this.dayUsers.values()], [...this.firstDays.entries()], delta);
    await writeDays(manager, this.deltas);
  }

  private delta(day: string): DayDelta {
    let found = this.deltas.get(day);
    if (!found) {
      found = {
        sessions: 0,
        uniqueUsers: 0,
        newUsers: 0,
        actions: 0,
        sessionMs: 0,
        platforms: new Map(),
        appVersions: new Map(),
        endpoints: new Map(),
        features: new Map(),
        hours: new Array<number>(24).fill(0),
      };
      this.deltas.set(day, found);
    }
    return found;
  }
}

/** Folds a batch of recorded events into the daily rollups, in the caller's transaction. */
export async function applyToRollups(manager: EntityManager, events: RollupEvent[]): Promise<void> {
  const fold = new RollupFold();
  for (const event of events) {
    fold.action(event.at, event.kind, event.name);
    fold.session({
      day: dayOf(event.at),
      sessionId: event.sessionId,
      userId: event.userId,
      platform: event.platform ?? 'Unknown',
      appVersion: event.appVersion ?? 'Unknown',
      firstAt: event.at,
      lastAt: event.at,
    });
  }
  await fold.write(manager);
}

async function foldSessions(
  manager: EntityManager,
  sessions: SessionDay[],
  delta: (day: string) => DayDelta,
): Promise<void> {
  const repo = manager.getRepository(AnalyticsDaySession);
  for (const [day, group] of groupBy(sessions, (s) => s.day)) {
    for (const chunk of chunks(group)) {
      const existing = new Map(
        (await repo.findBy({ day, sessionId: In(chunk.map((s) => s.sessionId)) })).map((row) => [
          row.sessionId,
          row,
        ]),
      );
      const inserts: AnalyticsDaySession[] = [];
      for (const session of chunk) {
        const change = delta(day);
        const known = existing.get(session.sessionId);
        if (!known) {
          change.sessions += 1;
          bump(change.platforms, session.platform);
          bump(change.appVersions, session.appVersion);
          change.sessionMs += session.lastAt.getTime() - session.firstAt.getTime();
          inserts.push(
            repo.create({
              day,
              sessionId: session.sessionId,
              userId: session.userId,
              firstAt: session.firstAt,
              lastAt: session.lastAt,
            }),
          );
          continue;
        }
        const firstAt = session.firstAt < known.firstAt ? session.firstAt : known.firstAt;
        const lastAt = session.lastAt > known.lastAt ? session.lastAt : known.lastAt;
        const grown =
          lastAt.getTime() - firstAt.getTime() - (known.lastAt.getTime() - known.firstAt.getTime());
        if (grown === 0) continue;
        change.sessionMs += grown;
        await repo.update({ day, sessionId: session.sessionId }, { firstAt, lastAt });
      }
      if (inserts.length > 0) await repo.insert(inserts);
    }
  }
}

async function foldUsers(
  manager: EntityManager,
  dayUsers: { day: string; userId: string }[],
  firstDays: [string, string][],
  delta: (day: string) => DayDelta,
): Promise<void> {
  const perDay = manager.getRepository(AnalyticsDayUser);
  for (const [day, group] of groupBy(dayUsers, (u) => u.day)) {
    for (const chunk of chunks(group)) {
      const ids = chunk.map((u) => u.userId);
      const known = new Set((await perDay.findBy({ day, userId: In(ids) })).map((r) => r.userId));
      const fresh = ids.filter((id) => !known.has(id));
      if (fresh.length === 0) continue;
      await perDay.insert(fresh.map((userId) => ({ day, userId })));
      delta(day).uniqueUsers += fresh.length;
    }
  }
  const users = manager.getRepository(AnalyticsUser);
  for (const chunk of chunks(firstDays)) {
    const known = new Set(
      (await users.findBy({ userId: In(chunk.map(([id]) => id)) })).map((r) => r.userId),
    );
    const fresh = chunk.filter(([id]) => !known.has(id));
    if (fresh.length === 0) continue;
    await users.insert(fresh.map(([userId, firstDay]) => ({ userId, firstDay })));
    for (const [, firstDay] of fresh) delta(firstDay).newUsers += 1;
  }
}

async function writeDays(manager: EntityManager, deltas: Map<string, DayDelta>): Promise<void> {
  const repo = manager.getRepository(AnalyticsDaily);
  const days = [...deltas.keys()];
  const postgres = manager.connection.options.type === 'postgres';
  // On PostgreSQL two instances may fold at once: the day rows are locked for the read-modify-write.
  const current = new Map(
    (
      await repo.find({
        where: { day: In(days) },
        ...(postgres ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      })
    ).map((row) => [row.day, row]),
  );
  for (const [day, change] of deltas) {
    const row = current.get(day);
    const next = {
      day,
      sessions: (row?.sessions ?? 0) + change.sessions,
      uniqueUsers: (row?.uniqueUsers ?? 0) + change.uniqueUsers,
      newUsers: (row?.newUsers ?? 0) + change.newUsers,
      actions: (row?.actions ?? 0) + change.actions,
      sessionMs: (row?.sessionMs ?? 0) + change.sessionMs,
      platforms: merged(row?.platforms, change.platforms),
      appVersions: merged(row?.appVersions, change.appVersions),
      endpoints: merged(row?.endpoints, change.endpoints),
      features: merged(row?.features, change.features),
      hours: JSON.stringify(
        (row ? (JSON.parse(row.hours) as number[]) : new Array<number>(24).fill(0)).map(
          (count, hour) => count + change.hours[hour],
        ),
      ),
    };
    if (row) await repo.update({ day }, next);
    else await repo.insert(next);
  }
}

function merged(stored: string | undefined, counts: Map<string, number>): string {
  const result = stored ? (JSON.parse(stored) as Record<string, number>) : {};
  for (const [key, count] of counts) result[key] = (result[key] ?? 0) + count;
  return JSON.stringify(result);
}

function bump(counts: Map<string, number>, key: string, count = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + count);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}
