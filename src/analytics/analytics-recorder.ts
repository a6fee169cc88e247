import { createHash } from 'node:crypto';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type EntityManager, In, LessThan, type Repository } from 'typeorm';
import { BotSettings } from '../bot-config/bot-settings';
import { cogLoaded } from '../cogs/cog-feature';
import { runSql, type SqlParam, TransactionRunner } from '../core/database';
import { AppConfig } from '../core/env';
import type { ErrorReport } from '../core/errors';
import { AnalyticsDaySession } from './analytics-day-session.entity';
import { AnalyticsDayUser } from './analytics-day-user.entity';
import { AnalyticsError } from './analytics-error.entity';
import { AnalyticsEvent } from './analytics-event.entity';
import { AnalyticsSession } from './analytics-session.entity';
import { EventBuffer } from './event-buffer';
import { applyToRollups, dayOf, type RollupEvent } from './rollup-writer';
import { SingletonLease } from '../core/lease';

/** A recorded action with what the session row needs of its client. */
export interface RecordedEvent extends RollupEvent {
  method: string | null;
  status: number | null;
  props: string | null;
  client: {
    deviceInfo: string | null;
    clientSessionId: string | null;
    ip: string | null;
    userAgent: string | null;
  };
}

/** A server error as the exception filter reports it. */
export type RecordedError = ErrorReport;

/** Beyond this many waiting events, new ones are dropped (and counted) until a flush succeeds. */
const MAX_BUFFERED = 20_000;
const BATCH = 500;
/** Server errors waiting for a flush; beyond it new ones are not counted. */
const MAX_ERRORS = 1000;
const RETENTION_EVERY_MS = 3_600_000;

/**
 * Takes events off the request path: `record` only appends to a bounded buffer (an EventBuffer,
 * which keeps nothing of the request alive); a timer writes the buffer every ANALYTICS_FLUSH_MS,
 * each batch of BATCH events in one transaction (raw events, the session rows and the rollups),
 * with waiting requests served between batches. Errors are counted per signature the same way. A
 * failed batch stays in the buffer for the next flush (while it is full, new events are dropped
 * and counted), and is logged once per spell.
 */
@Injectable()
export class AnalyticsRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AnalyticsManager');
  private readonly events = new EventBuffer();
  private errors: RecordedError[] = [];
  private timer?: NodeJS.Timeout;
  private retentionTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failing = false;
  private readonly flushed = new Set<() => void>();
  dropped = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly lease: SingletonLease,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.analytics.flushMs;
    if (every > 0) {
      this.timer = setInterval(() => void this.flush(), every);
      this.timer.unref();
    }
    this.retentionTimer = setInterval(() => {
      if (this.lease.held) void this.expire();
    }, RETENTION_EVERY_MS);
    this.retentionTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.retentionTimer);
    await this.flush();
  }

  record(event: RecordedEvent): void {
    if (!this.config.analytics.enabled || !cogLoaded(this.settings, 'AnalyticsManager')) return;
    if (this.events.length >= MAX_BUFFERED) {
      this.dropped += 1;
      return;
    }
    this.events.push(event);
  }

  recordError(error: RecordedError): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(error);
  }

  /** Calls `listener` once after every flush that wrote something (all its batches). */
  onFlushed(listener: () => void): void {
    this.flushed.add(listener);
  }

  /** Writes what is waiting; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Deletes raw events, per-day helper rows and sessions older than ANALYTICS_RETENTION_DAYS. */
  async expire(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.analytics.retentionDays * 86_400_000);
    const day = dayOf(cutoff);
    try {
      const removed = await this.transactions.run(async (manager) => {
        const result = await manager.getRepository(AnalyticsEvent).delete({ at: LessThan(cutoff) });
        await manager.getRepository(AnalyticsDaySession).delete({ day: LessThan(day) });
        await manager.getRepository(AnalyticsDayUser).delete({ day: LessThan(day) });
        await manager.getRepository(AnalyticsSession).delete({ lastAt: LessThan(cutoff) });
        return result.affected ?? 0;
      });
      if (removed > 0) this.logger.log({ removed, before: cutoff }, 'Expired raw analytics events');
      return removed;
    } catch (error) {
      this.logger.error({ err: error }, 'Could not expire raw analytics events');
      return 0;
    }
  }

  private async write(): Promise<void> {
    let wrote = false;
    try {
      while (this.events.length > 0 || this.errors.length > 0) {
        // Kept in the buffer until written: a failed batch stays for the next flush.
        const events = this.events.peek(BATCH);
        const errors = this.errors.splice(0);
        try {
          await this.transactions.run(async (manager) => {
            await insertEvents(manager, events);
            await updateSessions(manager.getRepository(AnalyticsSession), events);
            await applyToRollups(manager, events);
            await countErrors(manager.getRepository(AnalyticsError), errors);
          });
          this.events.drop(events.length);
          wrote = true;
          if (this.failing) this.logger.log('Analytics are written again');
          this.failing = false;
          // Requests waiting meanwhile are served before the next batch holds the loop again.
          if (this.events.length > 0) await yieldToRequests();
        } catch (error) {
          if (!this.failing)
            this.logger.error({ err: error, events: events.length }, 'Could not write analytics');
          this.failing = true;
          // Its events stay for the next flush (while the buffer is full, new ones are dropped),
          // and so do its errors, ahead of those reported since, within the same bound.
          this.errors = errors.concat(this.errors).slice(0, MAX_ERRORS);
          return;
        }
      }
    } finally {
      // Once per flush, not per batch: readers of the rollups recompute once for what it wrote.
      if (wrote) for (const listener of this.flushed) listener();
    }
  }
}

const EVENT_COLUMNS =
  'at, day, kind, name, method, status, user_id, session_id, platform, app_version, props';
const EVENT_ROW = `(${EVENT_COLUMNS.split(', ')
  .map(() => '?')
  .join(', ')})`;
const EVENT_ROWS_PER_STATEMENT = 200;

/**
 * The raw events, in multi-row INSERTs of plain SQL: the query builder spent some 35 µs a row
 * building its statement, most of a flush, and a flush holds the event loop while it runs.
 */
async function insertEvents(manager: EntityManager, events: RecordedEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += EVENT_ROWS_PER_STATEMENT) {
    const chunk = events.slice(i, i + EVENT_ROWS_PER_STATEMENT);
    const params: SqlParam[] = [];
    for (const event of chunk) {
      params.push(
        event.at,
        dayOf(event.at),
        event.kind,
        event.name,
        event.method,
        event.status,
        event.userId,
        event.sessionId,
        event.platform,
        event.appVersion,
        event.props,
      );
    }
    await runSql(manager, insertStatement(chunk.length), params);
  }
}

function insertStatement(rows: number): string {
  return `INSERT INTO analytics_events (${EVENT_COLUMNS}) VALUES ${new Array<string>(rows).fill(EVENT_ROW).join(', ')}`;
}

/** Each session's last activity, client, action count and counts per endpoint. */
async function updateSessions(
  repo: Repository<AnalyticsSession>,
  events: RecordedEvent[],
): Promise<void> {
  const bySession = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const list = bySession.get(event.sessionId);
    if (list) list.push(event);
    else bySession.set(event.sessionId, [event]);
  }
  const ids = [...bySession.keys()];
  const existing = new Map<string, AnalyticsSession>();
  for (let i = 0; i < ids.length; i += 400) {
    for (const row of await repo.findBy({ sessionId: In(ids.slice(i, i + 400)) }))
      existing.set(row.sessionId, row);
  }
  for (const [sessionId, list] of bySession) {
    const last = list.reduce((a, b) => (b.at >= a.at ? b : a));
    const first = list.reduce((a, b) => (b.at < a.at ? b : a));
    const row = existing.get(sessionId);
    const endpoints = row ? (JSON.parse(row.endpoints) as Record<string, number>) : {};
    for (const event of list)
      if (event.kind === 'request') endpoints[event.name] = (endpoints[event.name] ?? 0) + 1;
    const lastRequest = [...list].reverse().find((event) => event.kind === 'request');
    const values = {
      userId: last.userId,
      platform: last.platform ?? row?.platform ?? null,
      deviceInfo: last.client.deviceInfo ?? row?.deviceInfo ?? null,
      appVersion: last.appVersion ?? row?.appVersion ?? null,
      clientSessionId: last.client.clientSessionId ?? row?.clientSessionId ?? null,
      ip: last.client.ip ?? row?.ip ?? null,
      userAgent: last.client.userAgent?.slice(0, 300) ?? row?.userAgent ?? null,
      lastAt: row && row.lastAt > last.at ? row.lastAt : last.at,
      actions: (row?.actions ?? 0) + list.length,
      endpoints: JSON.stringify(endpoints),
      lastEndpoint: lastRequest?.name ?? row?.lastEndpoint ?? last.name,
    };
    if (row) await repo.update({ sessionId }, values);
    else await repo.insert({ sessionId, firstAt: first.at, ...values });
  }
}

async function countErrors(
  repo: Repository<AnalyticsError>,
  errors: RecordedError[],
): Promise<void> {
  const bySignature = new Map<
    string,
    { last: RecordedError; first: RecordedError; count: number }
  >();
  for (const error of errors) {
    const signature = signatureOf(error);
    const seen = bySignature.get(signature);
    if (seen) {
      seen.last = error;
      seen.count += 1;
    } else bySignature.set(signature, { first: error, last: error, count: 1 });
  }
  for (const [signature, { first, last, count }] of bySignature) {
    const row = await repo.findOneBy({ signature });
    const latest = { lastAt: last.at, stack: last.stack, message: last.message.slice(0, 500) };
    if (row) {
      await repo.update({ signature }, { count: row.count + count, ...latest });
    } else {
      await repo.insert({
        signature,
        type: first.type.slice(0, 100),
        route: first.route.slice(0, 200),
        count,
        firstAt: first.at,
        ...latest,
      });
    }
  }
}

/** Repeats of one error look alike once numbers, ids and quoted values are taken out. */
export function signatureOf(error: Pick<RecordedError, 'type' | 'message' | 'route'>): string {
  const shape = error.message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\d+/g, '<n>')
    .replace(/(["'])(?:(?!\1).)*\1/g, '<s>');
  return createHash('sha256')
    .update(`${error.type}\n${shape}\n${error.route}`)
    .digest('hex')
    .slice(0, 64);
}
