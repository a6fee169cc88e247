import { Injectable, UseFilters } from '@nestjs/common';
import { GuildMember, MessageFlags } from 'discord.js';
import { Context, Options, SlashCommand, type SlashCommandContext, StringOption } from 'necord';
import { AuthService } from '../auth/auth.service';
import { BotSettings } from '../bot-config/bot-settings';
import { CogFeature } from '../cogs/cog-feature';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';
import { rankFields } from './rl-stats';
import { PLATFORMS, RocketLeagueService } from './rocket-league.service';

const PLATFORM_CHOICES = PLATFORMS.map((value) => ({ name: value, value }));

export class PlayerOptions {
  @StringOption({
    name: 'platform',
    description: 'steam, epic, psn, xbl or switch',
    required: true,
    choices: PLATFORM_CHOICES,
  })
  platform!: string;

  @StringOption({
    name: 'username',
    description: 'The player name',
    required: true,
    max_length: 100,
  })
  username!: string;
}

/** `/rlstats`, `/rllink` and `/rlunlink`: the same service and rules as the app's routes. */
@Injectable()
@CogFeature('RocketLeague')
@UseFilters(DiscordExceptionFilter)
export class RocketLeagueCommands {
  constructor(
    private readonly rl: RocketLeagueService,
    private readonly auth: AuthService,
    private readonly settings: BotSettings,
  ) {}

  @SlashCommand({ name: 'rlstats', description: "A Rocket League player's ranks" })
  async stats(
    @Context() [interaction]: SlashCommandContext,
    @Options() { platform, username }: PlayerOptions,
  ): Promise<void> {
    await interaction.deferReply();
    const { stats } = await this.rl.stats(platform, username.trim());
    await interaction.editReply({
      embeds: [
        {
          title: `🚀 ${stats.username} (${stats.platform})`.slice(0, 256),
          color: this.settings.get('general').pink_color,
          ...(stats.highest_icon_url ? { thumbnail: { url: stats.highest_icon_url } } : {}),
          fields: [...rankFields(stats)],
        },
      ],
    });
  }

  @SlashCommand({
    name: 'rllink',
    description: 'Link your Rocket League account',
    dmPermission: false,
  })
  async link(
    @Context() [interaction]: SlashCommandContext,
    @Options() { platform, username }: PlayerOptions,
  ): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const user = await this.userOf(interaction);
    const { stats } = await this.rl.link(user, platform, username.trim());
    await interaction.editReply({
      content: `Successfully linked Rocket League account: ${stats.username}`,
    });
  }

  @SlashCommand({
    name: 'rlunlink',
    description: 'Unlink your Rocket League account',
    dmPermission: false,
  })
  async unlink(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const user = await this.userOf(interaction);
    const account = await this.rl.unlink(user);
    await interaction.reply({
      content: `Unlinked Rocket League account ${account.username}`,
      flags: MessageFlags.Ephemeral,
    });
  }

  /** The Guildhall user behind the member, with the role their guild roles give. */
  private async userOf(interaction: SlashCommandContext[0]) {
    const member = interaction.member;
    const roleIds =
      member instanceof GuildMember ? [...member.roles.cache.keys()] : (member?.roles ?? []);
    const actor = await this.auth.actorForDiscordMember({
      discordId: interaction.user.id,
      username: interaction.user.username,
      displayName: member instanceof GuildMember ? member.displayName : null,
      avatarUrl: interaction.user.displayAvatarURL(),
      roleIds,
    });
    return actor.user;
  }
}
