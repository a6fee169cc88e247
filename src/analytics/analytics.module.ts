import {
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleDestroy,
  type OnModuleInit,
  RequestMethod,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorReports } from '../core/errors';
import { AnalyticsDaily } from './analytics-daily.entity';
import { AnalyticsDaySession } from './analytics-day-session.entity';
import { AnalyticsDayUser } from './analytics-day-user.entity';
import { AnalyticsError } from './analytics-error.entity';
import { AnalyticsEvent } from './analytics-event.entity';
import { AnalyticsRecorder } from './analytics-recorder';
import { AnalyticsSession } from './analytics-session.entity';
import { AnalyticsUser } from './analytics-user.entity';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { DashboardController } from './dashboard.controller';
import { RecordingMiddleware } from './recording.middleware';

/** Sessions, feature usage and errors, recorded off the request path, rolled up per UTC day. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      AnalyticsEvent,
      AnalyticsSession,
      AnalyticsDaily,
      AnalyticsDaySession,
      AnalyticsDayUser,
      AnalyticsUser,
      AnalyticsError,
    ]),
  ],
  controllers: [AnalyticsController, DashboardController],
  providers: [AnalyticsRecorder, AnalyticsService, RecordingMiddleware],
  exports: [AnalyticsRecorder],
})
export class AnalyticsModule implements NestModule, OnModuleInit, OnModuleDestroy {
  private detach?: () => void;

  constructor(
    private readonly reports: ErrorReports,
    private readonly recorder: AnalyticsRecorder,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RecordingMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  onModuleInit(): void {
    this.detach = this.reports.attach((report) => this.recorder.recordError(report));
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
