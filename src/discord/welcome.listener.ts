import { Injectable, Logger, UseFilters } from '@nestjs/common';
import { Context, type ContextOf, On } from 'necord';
import { BotSettings } from '../bot-config/bot-settings';
import { CogFeature } from '../cogs/cog-feature';
import { DiscordPoster } from '../core/discord';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';

/**
 * Welcome: a member who joins gets the rules (`welcome.rules_text`) in
 * `channels.welcome_rules_channel_id` and is greeted in `channels.welcome_public_channel_id` with
 * one of `welcome.welcome_messages` (`{name}` is their mention), both through the outbox.
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
    const channels = this.settings.get('channels');
    const welcome = this.settings.get('welcome');
    const general = this.settings.get('general');
    const mention = `<@${member.id}>`;
    if (channels.welcome_rules_channel_id && welcome.rules_text) {
      await this.poster.post(channels.welcome_rules_channel_id, {
        content: mention,
        embeds: [
          {
            title: `Welcome to ${member.guild.name}! 💖`.slice(0, 256),
            description: welcome.rules_text.slice(0, 4096),
            color: general.pink_color,
            footer: { text: general.embed_footer_text.slice(0, 2048) },
          },
        ],
      });
    }
    const messages = welcome.welcome_messages;
    if (channels.welcome_public_channel_id && messages.length > 0) {
      const template = messages[Math.floor(Math.random() * messages.length)];
      await this.poster.post(channels.welcome_public_channel_id, {
        content: template.replaceAll('{name}', mention).slice(0, 2000),
      });
    }
    this.logger.log({ member: member.id }, 'Welcomed a new member');
  }
}
