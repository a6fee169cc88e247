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

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
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

interface SessionDay {
  day: string;
  sessionId: string;
  userId: string;
  platform: string;
  appVersion: string;
  firstAt: Date;
  lastAt: Date;
}

const CHUNK = 400;

/**
 * Folds a batch of events into the daily rollups, incrementally: the per-day counts grow by the
 * batch, a session or user is counted once per day (their day rows say whether they were seen
 * already), and a session's time that day grows by how much the batch extends its span. Runs in the
 * caller's transaction; recording and `analytics:rebuild` both use it, so they agree exactly.
 */
export async function applyToRollups(manager: EntityManager, events: RollupEvent[]): Promise<void> {
  if (events.length === 0) return;
  const deltas = new Map<string, DayDelta>();
  const delta = (day: string): DayDelta => {
    let found = deltas.get(day);
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
      deltas.set(day, found);
    }
    return found;
  };
  const sessionDays = new Map<string, SessionDay>();
  const dayUsers = new Map<string, { day: string; userId: string }>();
  const firstDays = new Map<string, string>();

  for (const event of events) {
    const day = dayOf(event.at);
    const change = delta(day);
    change.actions += 1;
    bump(event.kind === 'request' ? change.endpoints : change.features, event.name);
    change.hours[event.at.getUTCHours()] += 1;
    const key = `${day}|${event.sessionId}`;
    const seen = sessionDays.get(key);
    if (seen) {
      if (event.at < seen.firstAt) seen.firstAt = event.at;
      if (event.at > seen.lastAt) seen.lastAt = event.at;
    } else {
      sessionDays.set(key, {
        day,
        sessionId: event.sessionId,
        userId: event.userId,
        platform: event.platform ?? 'Unknown',
        appVersion: event.appVersion ?? 'Unknown',
        firstAt: event.at,
        lastAt: event.at,
      });
    }
    dayUsers.set(`${day}|${event.userId}`, { day, userId: event.userId });
    const first = firstDays.get(event.userId);
    if (!first || day < first) firstDays.set(event.userId, day);
  }

  await foldSessions(manager, [...sessionDays.values()], delta);
  await foldUsers(manager, [...dayUsers.values()], [...firstDays.entries()], delta);
  await writeDays(manager, deltas);
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

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
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
