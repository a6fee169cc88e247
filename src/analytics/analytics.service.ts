import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { permissionClaim, roleClaim } from '../auth/permissions';
import { User } from '../auth/user.entity';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import { servedUnchanged } from '../core/http';
import { REDIS, RedisChannel } from '../core/redis';
import { AnalyticsDaily } from './analytics-daily.entity';
import { AnalyticsDayUser } from './analytics-day-user.entity';
import { AnalyticsError } from './analytics-error.entity';
import { AnalyticsEvent } from './analytics-event.entity';
import { AnalyticsRecorder } from './analytics-recorder';
import { AnalyticsSession } from './analytics-session.entity';
import { AnalyticsUser } from './analytics-user.entity';
import { dayOf } from './rollup-writer';

const ACTIVE_WINDOW_MS = 30 * 60_000;
const ACTIVITY_DEDUP_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface DailyStats {
  day: string;
  sessions: number;
  unique_users: number;
  new_users: number;
  actions: number;
  avg_session_duration: number;
}

export interface ClientEvent {
  name: string;
  at?: string;
  props?: Record<string, unknown>;
}

const TooManyEvents = () =>
  new DomainError('TOO_MANY_EVENTS', 400, 'At most 100 events per request');

type Stats = Awaited<ReturnType<AnalyticsService['computeStats']>>;

/**
 * What the analytics routes and the dashboard show, read from the rollups (never raw events). The
 * rollups change only when recorded events are written, so an overview is computed once per range
 * and reused until an instance writes again (each tells the others over Redis), or for
 * ANALYTICS_FLUSH_MS (at most 10 s) when it cannot.
 */
@Injectable()
export class AnalyticsService implements OnModuleInit, OnApplicationShutdown {
  private readonly cache = new Map<string, { until: number; stats: Promise<Stats> }>();
  private readonly cacheMs: number;
  private readonly flushes: RedisChannel<{ flushed: true }>;

  constructor(
    private readonly config: AppConfig,
    private readonly recorder: AnalyticsRecorder,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) redis: Redis | null,
  ) {
    this.cacheMs = Math.min(10_000, Math.max(1000, config.analytics.flushMs));
    this.flushes = new RedisChannel(
      redis,
      config.redis.keyPrefix,
      'analytics-flushed',
      (value): value is { flushed: true } => (value as { flushed?: unknown }).flushed === true,
    );
    recorder.onFlushed(() => {
      this.cache.clear();
      void this.flushes.publish({ flushed: true });
    });
  }

  async onModuleInit(): Promise<void> {
    await this.flushes.listen(() => this.cache.clear());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushes.close();
  }

  /** The overview of the last `days` UTC days (today included), or of all time. */
  stats(days: number | undefined): Promise<Stats> {
    const key = String(days ?? 'all');
    const now = Date.now();
    const hit = this.cache.get(key);
    if (
      hit &&
      hit.until > now &&
      dayOf(new Date(hit.until - this.cacheMs)) === dayOf(new Date(now))
    )
      return hit.stats;
    // Every request until the next write gets this one object: serialised once, frozen.
    const stats = this.computeStats(days, new Date(now)).then(servedUnchanged);
    this.cache.set(key, { until: now + this.cacheMs, stats });
    // A failed read is not kept.
    void stats.catch(() => this.cache.delete(key));
    return stats;
  }

  private async computeStats(days: number | undefined, now: Date) {
    const rows = await this.days(days, now);
    const weekAgo = dayOf(new Date(now.getTime() - 6 * DAY_MS));
    const [totalUsers, active] = await Promise.all([
      this.dataSource.getRepository(AnalyticsUser).count(),
      this.dataSource
        .getRepository(AnalyticsDayUser)
        .createQueryBuilder('u')
        .select('COUNT(DISTINCT u.user_id)', 'count')
        .where('u.day >= :day', { day: weekAgo })
        .getRawOne<{ count: string | number }>(),
    ]);
    const sum = (pick: (row: AnalyticsDaily) => number) => rows.reduce((n, r) => n + pick(r), 0);
    const sessions = sum((r) => r.sessions);
    const merge = (pick: (row: AnalyticsDaily) => string) => {
      const total: Record<string, number> = {};
      for (const row of rows)
        for (const [key, count] of Object.entries(JSON.parse(pick(row)) as Record<string, number>))
          total[key] = (total[key] ?? 0) + count;
      return total;
    };
    const top = (counts: Record<string, number>) =>
      Object.entries(counts)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 20)
        .map(([name, count]) => ({ name, count }));
    const hours = new Array<number>(24).fill(0);
    for (const row of rows)
      (JSON.parse(row.hours) as number[]).forEach((count, hour) => (hours[hour] += count));
    return {
      days: days ?? null,
      total_users: totalUsers,
      active_users_7d: Number(active?.count ?? 0),
      total_sessions: sessions,
      avg_session_duration: sessions ? Math.round(sum((r) => r.sessionMs) / sessions / 1000) : 0,
      total_actions: sum((r) => r.actions),
      daily: rows.map((row) => dailyView(row)),
      platforms: merge((r) => r.platforms),
      app_versions: merge((r) => r.appVersions),
      top_endpoints: top(merge((r) => r.endpoints)),
      top_features: top(merge((r) => r.features)),
      peak_hours: hours.map((count, hour) => ({ hour, count })),
    };
  }

  /** The daily rollups of the range, oldest first. */
  async days(days: number | undefined, now = new Date()): Promise<AnalyticsDaily[]> {
    const from = days ? dayOf(new Date(now.getTime() - (days - 1) * DAY_MS)) : undefined;
    return this.dataSource.getRepository(AnalyticsDaily).find({
      where: from ? { day: MoreThanOrEqual(from) } : {},
      order: { day: 'ASC' },
    });
  }

  async dailyExport(days: number | undefined): Promise<DailyStats[]> {
    return (await this.days(days)).map(dailyView);
  }

  /** Sessions active in the last 30 minutes, the latest per user, with their users. */
  async activeSessions(now = new Date()) {
    const since = new Date(now.getTime() - ACTIVE_WINDOW_MS);
    const rows = await this.dataSource.getRepository(AnalyticsSession).find({
      where: { lastAt: MoreThanOrEqual(since) },
      order: { lastAt: 'DESC' },
      take: 5000,
    });
    const latest = new Map<string, AnalyticsSession>();
    for (const row of rows) if (!latest.has(row.userId)) latest.set(row.userId, row);
    const users = await this.users([...latest.keys()]);
    const policy = { moderatorFullAccess: this.config.auth.moderatorFullAccess };
    return [...latest.values()].map((session) => {
      const user = users.get(session.userId);
      return {
        session,
        user,
        username: user?.username ?? 'unknown',
        discordId: user?.discordId ?? 'legacy_user',
        role: user ? roleClaim(user.role) : 'lootling',
        permissions: user ? permissionClaim(user.role, policy) : [],
        secondsAgo: Math.max(0, Math.floor((now.getTime() - session.lastAt.getTime()) / 1000)),
      };
    });
  }

  /**
   * The last 50 requests of the last 30 minutes, newest first, a user's repeats of one endpoint
   * within 5 minutes shown once (HazeBot's activity log).
   */
  async recentActivity(now = new Date()) {
    const since = new Date(now.getTime() - ACTIVE_WINDOW_MS);
    const events = await this.dataSource.getRepository(AnalyticsEvent).find({
      where: { kind: 'request', at: MoreThanOrEqual(since) },
      order: { id: 'DESC' },
      take: 1000,
    });
    const shown: AnalyticsEvent[] = [];
    const lastShown = new Map<string, number>();
    for (const event of events) {
      const key = `${event.userId}|${event.method}|${event.name}`;
      const previous = lastShown.get(key);
      if (previous !== undefined && previous - event.at.getTime() < ACTIVITY_DEDUP_MS) continue;
      lastShown.set(key, event.at.getTime());
      shown.push(event);
      if (shown.length === 50) break;
    }
    const users = await this.users([...new Set(shown.map((event) => event.userId))]);
    return shown.map((event) => ({ event, user: users.get(event.userId) }));
  }

  /** Errors grouped by signature, the latest first. */
  errors(limit: number): Promise<AnalyticsError[]> {
    return this.dataSource
      .getRepository(AnalyticsError)
      .find({ order: { lastAt: 'DESC' }, take: limit });
  }

  /** Client feature events: recorded like requests, under the caller's session. */
  recordClientEvents(
    principal: {
      userId: string;
      sessionId: string;
      platform: string | null;
      appVersion: string | null;
    },
    events: ClientEvent[],
    now = new Date(),
  ): number {
    if (events.length > 100) throw TooManyEvents();
    for (const event of events) {
      const at = event.at ? new Date(event.at) : now;
      // A client clock far off is not trusted beyond a day either way.
      const sane = Math.abs(at.getTime() - now.getTime()) <= DAY_MS ? at : now;
      this.recorder.record({
        at: sane,
        kind: 'client',
        name: event.name,
        method: null,
        status: null,
        userId: principal.userId,
        sessionId: principal.sessionId,
        platform: principal.platform,
        appVersion: principal.appVersion,
        props: event.props ? JSON.stringify(event.props).slice(0, 2000) : null,
        client: { deviceInfo: null, clientSessionId: null, ip: null, userAgent: null },
      });
    }
    return events.length;
  }

  private async users(ids: string[]): Promise<Map<string, User>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(User).findBy({ id: In(ids) });
    return new Map(rows.map((user) => [user.id, user]));
  }
}

function dailyView(row: AnalyticsDaily): DailyStats {
  return {
    day: row.day,
    sessions: row.sessions,
    unique_users: row.uniqueUsers,
    new_users: row.newUsers,
    actions: row.actions,
    avg_session_duration: row.sessions ? Math.round(row.sessionMs / row.sessions / 1000) : 0,
  };
}
