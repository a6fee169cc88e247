import { Injectable, Logger, UseFilters } from '@nestjs/common';
import { Context, type ContextOf, On } from 'necord';
import { BotSettings } from '../bot-config/bot-settings';
import { CogFeature } from '../cogs/cog-feature';
import { DiscordPoster } from '../core/discord';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';

/**
 * Welcome: a member who joins is greeted in `channels.welcome_public_channel_id` with one of
 * `welcome.welcome_messages` (`{name}` is their mention), through the outbox.
 */
@Injectable()
@CogFeature('Welcome')
@UseFilters(DiscordExceptionFilter)
export class WelcomeListener {
  private readonly logger = new Logger('Welcome');

  constructor(
    private readonly settings: BotSettings,
    private readonly poster: DiscordPoster,
  ) {}

  @On('guildMemberAdd')
  async joined(@Context() [member]: ContextOf<'guildMemberAdd'>): Promise<void> {
    if (member.user.bot) return;
    const channelId = this.settings.get('channels').welcome_public_channel_id;
    const messages = this.settings.get('welcome').welcome_messages;
    if (!channelId || messages.length === 0) return;
    const template = messages[Math.floor(Math.random() * messages.length)];
    await this.poster.post(channelId, {
      content: template.replaceAll('{name}', `<@${member.id}>`).slice(0, 2000),
    });
    this.logger.log({ member: member.id }, 'Welcomed a new member');
  }
}
