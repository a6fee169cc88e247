import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type EntityManager, In } from 'typeorm';
import { AnalyticsError } from '../../analytics/analytics-error.entity';
import { AnalyticsSession } from '../../analytics/analytics-session.entity';
import { AnalyticsUser } from '../../analytics/analytics-user.entity';
import { dayOf, RollupFold } from '../../analytics/rollup-writer';
import { AppConfig } from '../../core/env';
import { DataFileError, isPlainObject, parseLegacyTime } from '../data-file';
import { ImportLedger } from '../import-ledger.entity';
import { type ImportPart, outcome, type PartOutcome } from '../import-part';
import { LegacyUsers } from '../legacy-users';

/** HazeBot named the file analytics.db; older installations app_analytics.db. */
const FILES = ['analytics.db', 'app_analytics.db'];
const TABLES = ['sessions', 'user_stats', 'daily_stats', 'error_logs'] as const;
const SESSIONS_DAY = 'analytics.sessions';
const TOTALS_DAY = 'analytics.daily';
const DAY_MS = 86_400_000;
const MAX_SPAN_DAYS = 31;
/** Sessions folded and written at once. */
const BATCH = 5_000;
const CHUNK = 400;

interface AnalyticsSource {
  path: string;
  file: string;
  tables: Set<string>;
  sessions: number;
  days: number;
  errors: number;
  other?: string;
}

interface SessionRow {
  session_id: string | null;
  discord_id: string | null;
  username: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_minutes: number | null;
  platform: string | null;
  device_info: string | null;
  app_version: string | null;
  ip_address: string | null;
  actions_count: number | null;
  endpoints_used: string | null;
  screens_visited: string | null;
}

interface DailyRow {
  date: string;
  total_sessions: number | null;
  unique_users: number | null;
  total_actions: number | null;
  total_duration_minutes: number | null;
  new_users: number | null;
  platforms: string | null;
  top_endpoints: string | null;
}

interface ErrorGroupRow {
  signature: string;
  error_type: string;
  message: string;
  endpoint: string | null;
  count: number;
  first_at: string;
  last_at: string;
  stack_trace: string | null;
}

/** A key of at most 64 characters, the same on every run. */
function keyOf(id: string): string {
  const key = `hazebot:${id}`;
  return key.length <= 64
    ? key
    : `hazebot:${createHash('sha256').update(id).digest('hex').slice(0, 56)}`;
}

const cap = (text: string | null | undefined, length: number) =>
  text ? text.slice(0, length) : null;

/**
 * HazeBot's analytics database (SQLite: sessions, user_stats, daily_stats, error_logs) → Guildhall's
 * analytics. Each session is folded into the daily rollups (sessions, users, new users, time,
 * platforms, versions; its actions, endpoints and screens counted on the day and hour it started)
 * and kept as a raw session when it is within ANALYTICS_RETENTION_DAYS; days HazeBot kept only as
 * daily_stats arrive as those totals; error_logs become error groups. A day once imported is in the
 * ledger and never folded twice.
 */
export const analyticsPart: ImportPart<AnalyticsSource> = {
  name: 'analytics',
  files: FILES,
  read(dir, present) {
    const [file, other] = [...present].sort(
      (a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs,
    );
    const path = join(dir, file);
    const db = openSource(path, file);
    try {
      const tables = new Set(
        (
          db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
            name: string;
          }[]
        )
          .map((row) => row.name)
          .filter((name) => (TABLES as readonly string[]).includes(name)),
      );
      if (tables.size === 0)
        throw new DataFileError(
          file,
          undefined,
          `expected HazeBot's tables (${TABLES.join(', ')})`,
        );
      requireColumns(db, file, tables, 'sessions', ['session_id', 'discord_id', 'started_at']);
      requireColumns(db, file, tables, 'daily_stats', ['date']);
      requireColumns(db, file, tables, 'error_logs', ['signature', 'occurred_at']);
      const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
      return {
        path,
        file,
        tables,
        other,
        sessions: tables.has('sessions') ? count('SELECT COUNT(*) FROM sessions') : 0,
        days: tables.has('daily_stats') ? count('SELECT COUNT(*) FROM daily_stats') : 0,
        errors: tables.has('error_logs')
          ? count('SELECT COUNT(DISTINCT signature) FROM error_logs')
          : 0,
      };
    } finally {
      db.close();
    }
  },
  async write(context, source) {
    const result = outcome('sessions, days and error groups');
    if (source.other)
      result.skipped.push({
        what: source.other,
        reason: `older than ${source.file}, which is imported`,
      });
    const db = openSource(source.path, source.file);
    try {
      context.progress.start(source.sessions + source.days + source.errors);
      const retentionDays = context.app.get(AppConfig).analytics.retentionDays;
      const users = new LegacyUsers(
        context.manager,
        context.app.get(AppConfig).auth.admin.username,
      );
      const importer = new AnalyticsImport(
        context.manager,
        db,
        source,
        users,
        result,
        retentionDays,
      );
      await importer.users();
      const sessionDays = await importer.sessions(context.progress.tick);
      await importer.dailyTotals(sessionDays, context.progress.tick);
      await importer.errors(context.progress.tick);
      result.mapped.push(...users.mapped());
      return result;
    } finally {
      db.close();
    }
  },
};

function openSource(path: string, file: string): Database.Database {
  if (!existsSync(path)) throw new DataFileError(file, undefined, 'not found');
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (error) {
    throw new DataFileError(
      file,
      undefined,
      `expected a SQLite database (${(error as Error).message})`,
    );
  }
}

function requireColumns(
  db: Database.Database,
  file: string,
  tables: Set<string>,
  table: string,
  columns: string[],
): void {
  if (!tables.has(table)) return;
  const have = new Set(
    (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name),
  );
  const missing = columns.filter((column) => !have.has(column));
  if (missing.length > 0)
    throw new DataFileError(file, `table ${table}`, `expected the columns ${missing.join(', ')}`);
}

/** The steps of the analytics part, sharing the transaction, the source and the user map. */
class AnalyticsImport {
  /** Guildhall user ids by HazeBot's discord_id. */
  private readonly ids = new Map<string, string>();
  /** Every user's first day as HazeBot saw it (user_stats or their first session). */
  private firstDays = new Map<string, string>();
  private readonly cutoff: number;

  constructor(
    private readonly manager: EntityManager,
    private readonly db: Database.Database,
    private readonly source: AnalyticsSource,
    private readonly legacyUsers: LegacyUsers,
    private readonly result: PartOutcome,
    retentionDays: number,
  ) {
    this.cutoff = Date.now() - retentionDays * DAY_MS;
  }

  private fail(where: string, expected: string): never {
    throw new DataFileError(this.source.file, where, expected);
  }

  /**
   * Every user HazeBot recorded gets a Guildhall user and is known to analytics from the first day
   * HazeBot saw them (user_stats keeps it past the sessions' retention).
   */
  async users(): Promise<void> {
    const { tables } = this.source;
    const parts = [
      ...(tables.has('sessions')
        ? ['SELECT discord_id, username, started_at AS seen FROM sessions']
        : []),
      ...(tables.has('user_stats')
        ? ['SELECT discord_id, username, first_seen AS seen FROM user_stats']
        : []),
    ];
    if (parts.length === 0) return;
    const rows = this.db
      .prepare(
        `SELECT discord_id, MAX(username) AS username, MIN(seen) AS seen
           FROM (${parts.join(' UNION ALL ')}) GROUP BY discord_id`,
      )
      .all() as { discord_id: string | null; username: string | null; seen: string | null }[];
    const names = new Map(
      rows.flatMap((row) => (row.username ? [[String(row.discord_id), row.username]] : [])),
    );
    const resolved = await this.legacyUsers.resolve(
      rows.map((row) => String(row.discord_id)),
      names,
    );
    const firstDays = new Map<string, string>();
    for (const row of rows) {
      const userId = resolved.get(String(row.discord_id));
      if (!userId) continue;
      this.ids.set(String(row.discord_id), userId);
      const seen = parseLegacyTime(row.seen);
      if (!seen)
        this.fail(`user ${row.discord_id}`, 'first_seen/started_at: expected an ISO date and time');
      const day = dayOf(seen);
      const known = firstDays.get(userId);
      if (!known || day < known) firstDays.set(userId, day);
    }
    this.firstDays = firstDays;
  }

  /**
   * Sessions in start order, a batch at a time; days already in the ledger are passed over. Answers
   * every day a session of the file touches (those days' totals come from the sessions).
   */
  async sessions(tick: (n: number) => void): Promise<Set<string>> {
    const touched = new Set<string>();
    if (!this.source.tables.has('sessions')) return touched;
    const done = await this.ledger(SESSIONS_DAY);
    const newUsers = await this.newUsers();
    const counts = new Map<string, number>();
    let fold = new RollupFold();
    let raw: Partial<AnalyticsSession>[] = [];
    let pending = 0;
    let unmapped = 0;
    let cut = 0;
    const flush = async () => {
      await fold.write(this.manager);
      for (let i = 0; i < raw.length; i += CHUNK)
        await this.manager.getRepository(AnalyticsSession).insert(raw.slice(i, i + CHUNK));
      tick(pending);
      fold = new RollupFold();
      raw = [];
      pending = 0;
    };
    const rows = this.db
      .prepare(`SELECT * FROM sessions ORDER BY started_at, session_id`)
      .iterate() as IterableIterator<SessionRow>;
    for (const row of rows) {
      if (pending >= BATCH) await flush();
      pending += 1;
      const where = `sessions row ${row.session_id ?? '(no session_id)'}`;
      if (!row.session_id) this.fail(where, 'expected a session_id');
      const started = parseLegacyTime(row.started_at);
      if (!started) this.fail(where, 'started_at: expected an ISO date and time');
      const ended =
        row.ended_at === null || row.ended_at === ''
          ? new Date(started.getTime() + Math.max(0, row.duration_minutes ?? 0) * 60_000)
          : parseLegacyTime(row.ended_at);
      if (!ended) this.fail(where, 'ended_at: expected an ISO date and time');
      // An app session lasts hours; a span of months is a clock gone wrong, cut to a month.
      const longest = started.getTime() + MAX_SPAN_DAYS * DAY_MS;
      if (ended.getTime() > longest) cut += 1;
      const last = new Date(Math.min(Math.max(ended.getTime(), started.getTime()), longest));
      const startDay = dayOf(started);
      for (let at = Date.parse(startDay); at <= last.getTime(); at += DAY_MS)
        touched.add(dayOf(new Date(at)));
      if (done.has(startDay)) {
        this.result.present += 1;
        continue;
      }
      const userId = this.ids.get(String(row.discord_id));
      if (!userId) {
        unmapped += 1;
        continue;
      }
      const endpoints = this.counts(row.endpoints_used, where, 'endpoints_used');
      const screens = this.screens(row.screens_visited, where);
      const sessionId = keyOf(row.session_id);
      const platform = cap(row.platform, 40) ?? 'Unknown';
      const appVersion = cap(row.app_version, 60) ?? 'Unknown';
      for (let at = Date.parse(startDay); at <= last.getTime(); at += DAY_MS) {
        fold.session({
          day: dayOf(new Date(at)),
          sessionId,
          userId,
          platform,
          appVersion,
          firstAt: new Date(Math.max(at, started.getTime())),
          lastAt: new Date(Math.min(at + DAY_MS, last.getTime())),
        });
      }
      const actions = Math.max(0, Math.trunc(row.actions_count ?? 0));
      fold.actions(started, actions);
      for (const [name, count] of endpoints) fold.uses(startDay, 'request', name, count);
      for (const screen of screens) fold.uses(startDay, 'client', screen, 1);
      const firstDay = newUsers.get(userId);
      if (firstDay !== undefined && firstDay === startDay) {
        fold.add(firstDay, { newUsers: 1 });
        newUsers.delete(userId);
      }
      counts.set(startDay, (counts.get(startDay) ?? 0) + 1);
      if (last.getTime() >= this.cutoff) {
        const [lastEndpoint] = [...endpoints.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['-'];
        raw.push({
          sessionId,
          userId,
          platform,
          deviceInfo: cap(row.device_info, 200),
          appVersion,
          clientSessionId: cap(row.session_id, 100),
          ip: cap(row.ip_address, 64),
          userAgent: null,
          firstAt: started,
          lastAt: last,
          actions,
          endpoints: JSON.stringify(Object.fromEntries(endpoints)),
          lastEndpoint: lastEndpoint.slice(0, 120),
        });
      }
      this.result.imported += 1;
    }
    // Users first seen on a day of others' sessions only (theirs were gone) are new on that day.
    for (const [, firstDay] of newUsers)
      if (touched.has(firstDay) && !done.has(firstDay)) fold.add(firstDay, { newUsers: 1 });
    await flush();
    await this.remember(SESSIONS_DAY, counts);
    if (cut > 0)
      this.result.warnings.push(
        `${cut} sessions ended more than ${MAX_SPAN_DAYS} days after they started: counted for ${MAX_SPAN_DAYS} days`,
      );
    if (unmapped > 0)
      this.result.skipped.push({
        what: `${unmapped} sessions`,
        reason: 'their discord_id names nobody (not a Discord id)',
      });
    if (counts.size > 0)
      this.result.mapped.push(
        `sessions → the rollups of ${counts.size} days (actions at their start)`,
      );
    return touched;
  }

  /** Days HazeBot kept only as totals (its sessions of them are gone): those totals, as they are. */
  async dailyTotals(touched: Set<string>, tick: (n: number) => void): Promise<void> {
    if (!this.source.tables.has('daily_stats')) return;
    const done = await this.ledger(TOTALS_DAY);
    const counts = new Map<string, number>();
    const fold = new RollupFold();
    for (const row of this.db
      .prepare('SELECT * FROM daily_stats ORDER BY date')
      .iterate() as IterableIterator<DailyRow>) {
      tick(1);
      const where = `daily_stats row ${row.date}`;
      const date = parseLegacyTime(row.date);
      if (!date) this.fail(where, 'date: expected YYYY-MM-DD');
      const day = dayOf(date);
      if (touched.has(day)) continue;
      if (done.has(day)) {
        this.result.present += 1;
        continue;
      }
      fold.add(day, {
        sessions: Math.max(0, row.total_sessions ?? 0),
        uniqueUsers: Math.max(0, row.unique_users ?? 0),
        newUsers: Math.max(0, row.new_users ?? 0),
        actions: Math.max(0, row.total_actions ?? 0),
        sessionMs: Math.round(Math.max(0, row.total_duration_minutes ?? 0) * 60_000),
        platforms: Object.fromEntries(this.counts(row.platforms, where, 'platforms')),
        endpoints: Object.fromEntries(this.counts(row.top_endpoints, where, 'top_endpoints')),
      });
      counts.set(day, 1);
      this.result.imported += 1;
    }
    await fold.write(this.manager);
    await this.remember(TOTALS_DAY, counts);
    if (counts.size > 0)
      this.result.mapped.push(`daily_stats → the totals of ${counts.size} days without sessions`);
  }

  /** error_logs, grouped by signature as Guildhall groups errors; a second run sets the same counts. */
  async errors(tick: (n: number) => void): Promise<void> {
    if (!this.source.tables.has('error_logs')) return;
    const groups = this.db
      .prepare(
        `SELECT signature, MAX(error_type) AS error_type, MAX(message) AS message,
                MAX(endpoint) AS endpoint, COUNT(*) AS count, MIN(occurred_at) AS first_at,
                MAX(occurred_at) AS last_at,
                (SELECT stack_trace FROM error_logs l WHERE l.signature = e.signature
                  ORDER BY occurred_at DESC LIMIT 1) AS stack_trace
           FROM error_logs e GROUP BY signature`,
      )
      .all() as ErrorGroupRow[];
    const repo = this.manager.getRepository(AnalyticsError);
    for (let i = 0; i < groups.length; i += CHUNK) {
      const chunk = groups.slice(i, i + CHUNK);
      const existing = new Map(
        (await repo.findBy({ signature: In(chunk.map((g) => keyOf(g.signature))) })).map((row) => [
          row.signature,
          row,
        ]),
      );
      for (const group of chunk) {
        const where = `error_logs signature ${group.signature}`;
        const firstAt = parseLegacyTime(group.first_at);
        const lastAt = parseLegacyTime(group.last_at);
        if (!firstAt || !lastAt) this.fail(where, 'occurred_at: expected an ISO date and time');
        const signature = keyOf(group.signature);
        const known = existing.get(signature);
        if (known && known.count === group.count && known.lastAt.getTime() === lastAt.getTime()) {
          this.result.present += 1;
          continue;
        }
        await repo.save({
          signature,
          type: (group.error_type || 'Error').slice(0, 100),
          message: (group.message || '').split('\n')[0].slice(0, 500),
          route: (group.endpoint || '-').slice(0, 200),
          count: group.count,
          firstAt,
          lastAt,
          stack: group.stack_trace,
        });
        this.result.imported += 1;
      }
      tick(chunk.length);
    }
  }

  /** A JSON object of counts (`{"tickets.get_tickets": 3}`); NULL is none. */
  private counts(text: string | null, where: string, column: string): Map<string, number> {
    if (!text) return new Map(); // NULL, or a column older files lack
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail(where, `${column}: expected a JSON object of counts`);
    }
    if (!isPlainObject(value)) this.fail(where, `${column}: expected a JSON object of counts`);
    const counts = new Map<string, number>();
    for (const [key, count] of Object.entries(value)) {
      if (typeof count !== 'number' || !Number.isFinite(count) || count < 0)
        this.fail(where, `${column}.${key}: expected a count`);
      counts.set(key.slice(0, 120), Math.trunc(count));
    }
    return counts;
  }

  private screens(text: string | null, where: string): string[] {
    if (!text) return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail(where, 'screens_visited: expected a JSON list of screen names');
    }
    if (!Array.isArray(value) || value.some((screen) => typeof screen !== 'string'))
      this.fail(where, 'screens_visited: expected a JSON list of screen names');
    return [...new Set(value as string[])].map((screen) => screen.slice(0, 120));
  }

  /** Inserts the users analytics did not know yet; answers their first days. */
  private async newUsers(): Promise<Map<string, string>> {
    const fresh = new Map<string, string>();
    const entries = [...this.firstDays.entries()];
    const repo = this.manager.getRepository(AnalyticsUser);
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      const known = new Set(
        (await repo.findBy({ userId: In(chunk.map(([id]) => id)) })).map((row) => row.userId),
      );
      const rows = chunk.filter(([id]) => !known.has(id));
      if (rows.length === 0) continue;
      await repo.insert(rows.map(([userId, firstDay]) => ({ userId, firstDay })));
      for (const [userId, firstDay] of rows) fresh.set(userId, firstDay);
    }
    return fresh;
  }

  private async ledger(part: string): Promise<Set<string>> {
    const rows = await this.manager.getRepository(ImportLedger).find({
      select: { key: true },
      where: { part },
    });
    return new Set(rows.map((row) => row.key));
  }

  private async remember(part: string, counts: Map<string, number>): Promise<void> {
    const rows = [...counts].map(([key, count]) => ({ part, key, count }));
    for (let i = 0; i < rows.length; i += CHUNK)
      await this.manager.getRepository(ImportLedger).insert(rows.slice(i, i + CHUNK));
  }
}
