import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { DatabaseModule } from './core/database';
import { AppConfig, EnvModule } from './core/env';
import { AllExceptionsFilter, createValidationPipe, ErrorReportsModule } from './core/errors';
import { HttpModule, ShutdownModule } from './core/http';
import { LoggingModule } from './core/logging';
import { AdminModule } from './admin/admin.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { MemesModule } from './memes/memes.module';
import { RocketLeagueModule } from './rocket-league/rocket-league.module';
import { NotificationsModule } from './notifications/notifications.module';
import type { PushSender } from './notifications/push-sender';
import { AuthModule } from './auth/auth.module';
import { BotConfigModule } from './bot-config/bot-config.module';
import { CogsModule } from './cogs/cogs.module';
import { IdempotencyModule } from './core/idempotency';
import { DiscordCoreModule } from './core/discord';
import { LeaseModule } from './core/lease';
import { MailModule } from './core/mail';
import { MetricsModule } from './core/metrics';
import { OutboxModule } from './core/outbox';
import { PushModule } from './core/push';
import { RealtimeModule } from './core/realtime';
import { RedisModule } from './core/redis';
import { HazebotImportModule } from './hazebot-import/hazebot-import.module';
import { HealthModule } from './health/health.module';
import { InvitesModule } from './invites/invites.module';
import { DiscordModule } from './discord/discord.module';
import { TicketsModule } from './tickets/tickets.module';

export interface AppModuleOptions {
  /** Where log lines go (stdout by default); tests capture them here. */
  logDestination?: DestinationStream;
  /** Where pushes go instead of FCM (tests record them at this port). */
  pushSender?: PushSender;
  /** Extra modules, e.g. test-only probes. */
  imports?: ModuleMetadata['imports'];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EnvModule.forRoot(config),
        LoggingModule.forRoot(options.logDestination),
        ErrorReportsModule,
        HttpModule,
        ShutdownModule,
        MetricsModule,
        DatabaseModule,
        RedisModule,
        LeaseModule,
        RealtimeModule,
        OutboxModule,
        PushModule,
        DiscordCoreModule,
        MailModule,
        IdempotencyModule,
        BotConfigModule,
        CogsModule,
        AuthModule,
        HealthModule,
        InvitesModule,
        TicketsModule,
        AdminModule,
        AnalyticsModule,
        MemesModule,
        RocketLeagueModule,
        HazebotImportModule,
        NotificationsModule.forRoot(config, options.pushSender),
        DiscordModule.forRoot(config),
        ...(options.imports ?? []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
