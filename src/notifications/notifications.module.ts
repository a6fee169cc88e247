import { type DynamicModule, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../core/env';
import { HealthModule } from '../health/health.module';
import { HealthService } from '../health/health.service';
import { TicketsModule } from '../tickets/tickets.module';
import { FirebasePushSender } from './firebase-push-sender';
import { NotificationSettings } from './notification-settings.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { PushDelivery } from './push-delivery.service';
import { PUSH_SENDER, type PushSender } from './push-sender';
import { PushToken } from './push-token.entity';

const logger = new Logger('Push');

/**
 * The sender pushes go out through: the one given (tests record pushes at this port), else FCM
 * from FIREBASE_CREDENTIALS_PATH (or GOOGLE_APPLICATION_CREDENTIALS), else none: push is off, the
 * routes that need it answer 503 and nothing is queued.
 */
async function senderFor(config: AppConfig, given?: PushSender): Promise<PushSender | null> {
  if (config.push.fcmServerKey) {
    logger.warn(
      'FCM_SERVER_KEY is the legacy FCM server key, which the current FCM API no longer accepts; ' +
        'it is ignored. Set FIREBASE_CREDENTIALS_PATH to a service-account JSON instead.',
    );
  }
  if (given) return given;
  const path = config.push.firebaseCredentialsPath;
  if (!path) return null;
  try {
    return await FirebasePushSender.fromCredentialsFile(path);
  } catch (error) {
    logger.error({ err: error, path }, 'Could not load the Firebase credentials; push is off');
    return null;
  }
}

@Module({})
export class NotificationsModule implements OnModuleInit {
  static forRoot(config: AppConfig, sender?: PushSender): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        TypeOrmModule.forFeature([PushToken, NotificationSettings]),
        TicketsModule,
        HealthModule,
      ],
      controllers: [NotificationsController],
      providers: [
        { provide: PUSH_SENDER, useFactory: () => senderFor(config, sender) },
        NotificationsService,
        PushDelivery,
      ],
    };
  }

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly notifications: NotificationsService,
    private readonly delivery: PushDelivery,
  ) {}

  onModuleInit(): void {
    void this.delivery;
    const configured = Boolean(this.config.push.firebaseCredentialsPath);
    this.health.register('push', () => {
      if (this.notifications.enabled) return { status: 'ok', enabled: true };
      return configured
        ? {
            status: 'warning',
            enabled: false,
            reason: 'the Firebase credentials could not be loaded',
          }
        : { status: 'ok', enabled: false, reason: 'FIREBASE_CREDENTIALS_PATH is not set' };
    });
  }
}
