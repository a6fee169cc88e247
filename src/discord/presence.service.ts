import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ActivityType, Client } from 'discord.js';
import { Context, type ContextOf, Once } from 'necord';
import { BotSettings } from '../bot-config/bot-settings';
import { cogLoaded } from '../cogs/cog-feature';
import { CogsService } from '../cogs/cogs.service';

/**
 * Presence: the bot's status names `general.bot_name` and rotates every
 * `general.presence_update_interval` seconds. A change of those settings, a reload of the cog or
 * its load and unload take effect at once; unloaded, the bot shows no activity.
 */
@Injectable()
export class PresenceService implements OnApplicationShutdown {
  private readonly logger = new Logger('Presence');
  private timer?: NodeJS.Timeout;
  private turn = 0;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly client: Client,
    private readonly settings: BotSettings,
    cogs: CogsService,
  ) {
    this.stops.push(
      settings.onChange(({ section }) => {
        if (section === 'general' || section === 'cogs') this.restart();
      }),
      cogs.onReload((cog) => {
        if (cog === 'Presence') this.restart();
      }),
    );
  }

  @Once('clientReady')
  ready(@Context() _context: ContextOf<'clientReady'>): void {
    this.restart();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    for (const stop of this.stops) stop();
  }

  private restart(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.client.isReady()) return;
    if (!cogLoaded(this.settings, 'Presence')) {
      this.client.user.setPresence({ activities: [] });
      return;
    }
    this.turn = 0;
    this.show();
    const seconds = this.settings.get('general').presence_update_interval;
    this.timer = setInterval(() => this.show(), seconds * 1000);
    this.timer.unref();
  }

  /** The next activity of the rotation. */
  private show(): void {
    if (!this.client.isReady()) return;
    const name = this.settings.get('general').bot_name;
    const members = this.client.guilds.cache.reduce((sum, guild) => sum + guild.memberCount, 0);
    const activities = [
      { name, type: ActivityType.Playing },
      { name: `${members} members`, type: ActivityType.Watching },
      { name: '/ticket for help', type: ActivityType.Listening },
    ];
    const activity = activities[this.turn % activities.length];
    this.turn += 1;
    try {
      this.client.user.setPresence({ activities: [activity], status: 'online' });
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not set the presence');
    }
  }
}
