import { Injectable, UseFilters } from '@nestjs/common';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { BotSettings } from '../bot-config/bot-settings';
import { CogFeature } from '../cogs/cog-feature';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';
import { memeEmbed } from './meme-embed';
import { MemesService } from './memes.service';

/** `/meme`: a random meme from the configured sources, in the channel it is asked in. */
@Injectable()
@CogFeature('DailyMeme')
@UseFilters(DiscordExceptionFilter)
export class MemeCommands {
  constructor(
    private readonly memes: MemesService,
    private readonly settings: BotSettings,
  ) {}

  @SlashCommand({ name: 'meme', description: 'A random meme', dmPermission: false })
  async meme(@Context() [interaction]: SlashCommandContext): Promise<void> {
    await interaction.deferReply();
    const meme = await this.memes.random({ nsfw: false, minScore: 50, sources: 3, pool: 25 });
    await interaction.editReply({
      embeds: [memeEmbed(meme, this.settings.get('general').pink_color)],
    });
  }
}
