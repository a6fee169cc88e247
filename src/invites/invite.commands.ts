import { Injectable, UseFilters } from '@nestjs/common';
import { MessageFlags } from 'discord.js';
import { Context, Options, SlashCommand, type SlashCommandContext, StringOption } from 'necord';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';
import { GuessBudget } from './guess-budget';
import { InvitesService } from './invites.service';
import { CogFeature } from '../cogs/cog-feature';

export class InviteCodeOptions {
  @StringOption({
    name: 'code',
    description: 'The invite code you received',
    required: true,
    max_length: 64,
  })
  code!: string;
}

/** `/invitecode`: the same redemption as `POST /api/invites/redeem`, for the member who runs it. */
@CogFeature('Invites')
@Injectable()
@UseFilters(DiscordExceptionFilter)
export class InviteCommands {
  constructor(
    private readonly invites: InvitesService,
    private readonly guesses: GuessBudget,
  ) {}

  @SlashCommand({ name: 'invitecode', description: 'Redeem your Build Crew invite code' })
  async redeem(
    @Context() [interaction]: SlashCommandContext,
    @Options() { code }: InviteCodeOptions,
  ): Promise<void> {
    // The same budget of unknown codes as the API, per member.
    const redemption = await this.guesses.guard({ discordUserId: interaction.user.id }, () =>
      this.invites.redeem(code.trim(), interaction.user.id),
    );
    const role = redemption.discordRoleId
      ? ` Your <@&${redemption.discordRoleId}> role is on its way.`
      : '';
    await interaction.reply({
      content: `Welcome to the Build Crew! You joined cohort **${redemption.cohort}**.${role}`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  }
}
