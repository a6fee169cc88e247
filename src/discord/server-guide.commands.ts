import { Injectable, UseFilters } from '@nestjs/common';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { BotSettings } from '../bot-config/bot-settings';
import { CogFeature } from '../cogs/cog-feature';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';

/** ServerGuide: `/server-guide` shows the guide of the `server_guide` settings. */
@Injectable()
@CogFeature('ServerGuide')
@UseFilters(DiscordExceptionFilter)
export class ServerGuideCommands {
  constructor(private readonly settings: BotSettings) {}

  @SlashCommand({ name: 'server-guide', description: 'Show the server guide', dmPermission: false })
  async guide(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const guide = this.settings.get('server_guide');
    const general = this.settings.get('general');
    const guildName = interaction.guild?.name ?? '';
    await interaction.reply({
      embeds: [
        {
          title: guide.title,
          color: general.pink_color,
          ...(guide.categories.length > 0
            ? {
                description: guide.categories
                  .map((name) => `• ${name}`)
                  .join('\n')
                  .slice(0, 4096),
              }
            : {}),
          fields: guide.fields.map((field) => ({ ...field })),
          ...(guide.banner_url ? { image: { url: guide.banner_url } } : {}),
          footer: { text: guide.footer_template.replaceAll('{guild_name}', guildName) },
        },
      ],
    });
  }
}
