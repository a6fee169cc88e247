import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'discord.js';
import { NecordModule } from 'necord';
import { AppConfig } from '../core/env';
import { SingletonLease } from '../core/lease';
import { Metrics } from '../core/metrics';

/**
 * Necord's module without its login at bootstrap: the bot logs in to the gateway only on the
 * instance that holds the singleton lease (see GatewayLogin). Everything else Necord sets up (the
 * client, commands, listeners) is the same on every instance.
 */
export class LeasedNecordModule extends NecordModule {
  override onApplicationBootstrap(): Promise<string> {
    return Promise.resolve('');
  }
}

/**
 * Logs the bot in when this instance becomes the owner of the singleton work, and logs it out when
 * it stops being the owner. A discord.js client cannot log in again once destroyed, so an instance
 * that lost the lease while running is restarted by the entry point and comes back as a standby.
 */
@Injectable()
export class GatewayLogin implements OnApplicationBootstrap {
  private readonly logger = new Logger('DiscordGateway');
  private loggedIn = false;

  constructor(
    private readonly client: Client,
    private readonly config: AppConfig,
    private readonly lease: SingletonLease,
    metrics: Metrics,
  ) {
    metrics.onScrape(() => metrics.discordGatewayUp.set(this.client.isReady() ? 1 : 0));
  }

  /** On the owner, the application starts once the bot has logged in. */
  async onApplicationBootstrap(): Promise<void> {
    await this.lease.start();
    if (this.lease.held) await this.login();
    this.lease.onAcquired(() => this.login());
    this.lease.onLost(() => this.logout());
  }

  private async login(): Promise<void> {
    if (this.loggedIn || !this.config.discord.token) return;
    this.loggedIn = true;
    this.logger.log('Logging in to the Discord gateway');
    try {
      await this.client.login(this.config.discord.token);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not log in to the Discord gateway');
      throw error;
    }
  }

  private async logout(): Promise<void> {
    if (!this.loggedIn) return;
    this.logger.warn('Another instance owns the gateway now; logging out');
    await this.client.destroy();
  }
}
