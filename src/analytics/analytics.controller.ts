import { Body, Controller, Delete, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import { CogRoutes } from '../cogs/cog-feature';
import { TransactionRunner } from '../core/database';
import { AnalyticsError } from './analytics-error.entity';
import { AnalyticsService } from './analytics.service';
import {
  AdminActiveSessionsDto,
  ClientEventsDto,
  DailyStatsDto,
  ErrorListDto,
  ErrorsQueryDto,
  EventsAcceptedDto,
  ExportQueryDto,
  ResetDto,
  SeedActiveSessionsDto,
  StatsDto,
  StatsQueryDto,
} from './dto/analytics.dto';

const CSV_COLUMNS = [
  'day',
  'sessions',
  'unique_users',
  'new_users',
  'actions',
  'avg_session_duration',
] as const;

/** Analytics for staff: the HazeBot API document's routes and the app's live-users screen. */
@ApiTags('analytics')
@CogRoutes('AnalyticsManager')
@Controller('api')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The overview of the last `days` UTC days, or of all time, from the daily rollups. */
  @Get('stats')
  @RequirePermission('analytics.read')
  stats(@Query() query: StatsQueryDto): Promise<StatsDto> {
    return this.analytics.stats(query.days);
  }

  /** The daily rollups as CSV (default) or JSON. */
  @Get('stats/export')
  @RequirePermission('analytics.read')
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ type: [DailyStatsDto] })
  async export(
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DailyStatsDto[] | string> {
    const rows = await this.analytics.dailyExport(query.days);
    const name = `guildhall-analytics-${query.days ? `${query.days}d` : 'all'}`;
    if (query.format === 'json') {
      res.setHeader('Content-Disposition', `attachment; filename="${name}.json"`);
      return rows;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    const lines = rows.map((row) => CSV_COLUMNS.map((column) => row[column]).join(','));
    return `${[CSV_COLUMNS.join(','), ...lines].join('\n')}\n`;
  }

  /** Sessions active in the last 30 minutes (the HazeBot API document's shape). */
  @Get('active-sessions')
  @RequirePermission('sessions.read')
  async seedActiveSessions(): Promise<SeedActiveSessionsDto> {
    const sessions = await this.analytics.activeSessions();
    return {
      sessions: sessions.map(({ session, discordId }) => ({
        session_id: session.sessionId,
        user_id: discordId,
        platform: session.platform ?? 'Unknown',
        last_activity: session.lastAt.toISOString(),
        duration: Math.round((session.lastAt.getTime() - session.firstAt.getTime()) / 1000),
      })),
    };
  }

  /** The app's live-users screen (contract §2.10): one session per user, and recent activity. */
  @Get('admin/active-sessions')
  @RequirePermission('sessions.read')
  async activeSessions(): Promise<AdminActiveSessionsDto> {
    const now = new Date();
    const [sessions, activity] = await Promise.all([
      this.analytics.activeSessions(now),
      this.analytics.recentActivity(now),
    ]);
    return {
      total_active: sessions.length,
      sessions: sessions.map(({ session, username, discordId, role, permissions, secondsAgo }) => ({
        session_id: session.clientSessionId ?? session.sessionId,
        username,
        discord_id: discordId,
        role,
        permissions,
        last_seen: session.lastAt.toISOString(),
        seconds_ago: secondsAgo,
        ip: session.ip ?? '',
        user_agent: session.userAgent ?? '',
        last_endpoint: session.lastEndpoint,
        app_version: session.appVersion ?? '',
        platform: session.platform ?? 'Unknown',
        device_info: session.deviceInfo ?? '',
        is_debug: /debug/i.test(session.platform ?? '') || /-dev/.test(session.appVersion ?? ''),
        is_emulator: /emulator|simulator|sdk_gphone|android sdk built/i.test(
          session.deviceInfo ?? '',
        ),
      })),
      recent_activity: activity.map(({ event, user }) => ({
        timestamp: event.at.toISOString(),
        username: user?.username ?? 'unknown',
        discord_id: user?.discordId ?? 'legacy_user',
        action: event.method ?? 'GET',
        endpoint: event.name,
        details: { path: event.name },
        display_name: user?.displayName ?? user?.username ?? 'unknown',
        avatar_url: user?.avatarUrl ?? '',
      })),
      checked_at: now.toISOString(),
    };
  }

  /** Server errors grouped by signature, the latest first. */
  @Get('analytics/errors')
  @RequirePermission('analytics.read')
  async errors(@Query() query: ErrorsQueryDto): Promise<ErrorListDto> {
    const groups = await this.analytics.errors(query.limit ?? 100);
    return {
      errors: groups.map((group) => ({
        signature: group.signature,
        type: group.type,
        message: group.message,
        route: group.route,
        count: group.count,
        first_seen: group.firstAt.toISOString(),
        last_seen: group.lastAt.toISOString(),
      })),
      total: groups.length,
    };
  }

  /** Forgets the grouped errors (admins only). */
  @Delete('analytics/errors')
  @RequirePermission('analytics.reset')
  async resetErrors(): Promise<ResetDto> {
    await this.transactions.run((manager) =>
      manager.getRepository(AnalyticsError).createQueryBuilder().delete().execute(),
    );
    return { success: true, message: 'Error log cleared' };
  }

  /** Up to 100 client feature events for screens the server never sees. */
  @Post('analytics/events')
  @Authenticated()
  @HttpCode(200)
  events(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: ClientEventsDto,
  ): EventsAcceptedDto {
    const accepted = this.analytics.recordClientEvents(
      {
        userId: principal.user.id,
        sessionId: principal.session.id,
        platform: principal.session.platform,
        appVersion: principal.session.appVersion,
      },
      body.events,
    );
    return { success: true, accepted };
  }
}
