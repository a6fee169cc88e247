import { Injectable, Logger, UseFilters } from '@nestjs/common';
import { type APIInteractionGuildMember, GuildMember, MessageFlags, type User } from 'discord.js';
import {
  Context,
  type ContextOf,
  On,
  Options,
  SlashCommand,
  type SlashCommandContext,
  StringOption,
} from 'necord';
import { AuthService } from '../auth/auth.service';
import { DiscordExceptionFilter } from '../core/discord/discord-exception.filter';
import { OutboxService } from '../core/outbox';
import { type TicketActor, ticketActor } from './ticket-actor';
import { TicketMessages } from './ticket-messages.service';
import { TicketTransitions } from './ticket-transitions.service';
import { NotATicketChannel } from './tickets.errors';
import { TicketsService } from './tickets.service';
import { CogFeature } from '../cogs/cog-feature';

export class OpenTicketOptions {
  @StringOption({
    name: 'type',
    description: 'What the ticket is about (e.g. Support, Bug, Application)',
    required: true,
    max_length: 40,
  })
  type!: string;

  @StringOption({ name: 'subject', description: 'A short title', required: true, max_length: 100 })
  subject!: string;

  @StringOption({
    name: 'description',
    description: 'Details (optional)',
    required: false,
    max_length: 2000,
  })
  description?: string;
}

export class CloseTicketOptions {
  @StringOption({
    name: 'reason',
    description: 'Closing message for the member',
    required: false,
    max_length: 2000,
  })
  reason?: string;
}

/**
 * The tickets' Discord side: `/ticket` opens one (with its private channel), `/claim` and `/close`
 * act on the ticket of the channel they are used in, and messages written in a ticket channel are
 * stored and reach the app. Whoever acts is the Guildhall user behind the Discord member, with the
 * permissions of their current role: the same services and rules as the REST routes.
 */
@CogFeature('TicketSystem')
@Injectable()
@UseFilters(DiscordExceptionFilter)
export class TicketCommands {
  private readonly logger = new Logger('TicketCommands');

  constructor(
    private readonly auth: AuthService,
    private readonly tickets: TicketsService,
    private readonly transitions: TicketTransitions,
    private readonly chat: TicketMessages,
    private readonly outbox: OutboxService,
  ) {}

  @SlashCommand({ name: 'ticket', description: 'Open a support ticket', dmPermission: false })
  async open(
    @Context() [interaction]: SlashCommandContext,
    @Options() options: OpenTicketOptions,
  ): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const actor = await this.actorOf(interaction.member, interaction.user);
    const { ticket, channelJob } = await this.tickets.open(
      actor,
      {
        type: options.type.trim(),
        subject: options.subject.trim(),
        description: options.description?.trim() ?? '',
      },
      { deliverChannel: true },
    );
    // The channel comes from the outbox; deliver it now so the reply can link it. If Discord fails,
    // the worker keeps retrying and the reply says so.
    if (channelJob) await this.outbox.deliverNow(channelJob);
    const current = await this.tickets.find(ticket.id);
    const where = current?.channelId
      ? `Continue in <#${current.channelId}>.`
      : 'Its channel will appear shortly.';
    await interaction.editReply({ content: `🎫 Ticket #${ticket.ticketNum} opened. ${where}` });
  }

  /** Claims for the caller. */
  @SlashCommand({ name: 'claim', description: 'Claim the ticket of this channel (staff)' })
  async claim(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const ticket = await this.ticketOf(interaction.channelId);
    const actor = await this.actorOf(interaction.member, interaction.user);
    const claimed = await this.transitions.claim(actor, ticket.id);
    await interaction.reply({
      content: `Ticket #${claimed.ticketNum} is yours.`,
      flags: MessageFlags.Ephemeral,
    });
  }

  @SlashCommand({ name: 'close', description: 'Close the ticket of this channel' })
  async close(
    @Context() [interaction]: SlashCommandContext,
    @Options() { reason }: CloseTicketOptions,
  ): Promise<void> {
    const ticket = await this.ticketOf(interaction.channelId);
    const actor = await this.actorOf(interaction.member, interaction.user);
    const closed = await this.transitions.close(actor, ticket.id, reason?.trim() || null);
    await interaction.reply({
      content: `🔒 Ticket #${closed.ticketNum} closed.`,
      flags: MessageFlags.Ephemeral,
    });
  }

  /**
   * A member or staff writing in a ticket channel: stored and pushed to the app's room, by the
   * rules of every message. One that breaks them (a closed ticket, a banned author) is not stored,
   * and Discord keeps it.
   */
  @On('messageCreate')
  async relay(@Context() [message]: ContextOf<'messageCreate'>): Promise<void> {
    if (message.author.bot || message.webhookId || message.system || !message.inGuild()) return;
    const ticket = await this.tickets.findByChannel(message.channelId);
    if (!ticket) return;
    const attachments = [...message.attachments.values()].map((a) => a.url);
    if (!message.content.trim() && attachments.length === 0) return;
    try {
      const stored = await this.chat.post(
        await this.actorOf(message.member, message.author),
        ticket,
        {
          content: message.content,
          attachments,
          source: 'discord',
          discordMessageId: message.id,
        },
      );
      if (!stored) this.logger.debug({ messageId: message.id }, 'Discord message already stored');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.logger.warn(
        { messageId: message.id, ticketId: ticket.id, err: error, error_code: code },
        'A message in a ticket channel was not stored',
      );
    }
  }

  private async ticketOf(channelId: string) {
    const ticket = await this.tickets.findByChannel(channelId);
    if (!ticket) throw NotATicketChannel();
    return ticket;
  }

  /** The Guildhall user behind a Discord member (created on first use), as tickets see them. */
  private async actorOf(
    member: GuildMember | APIInteractionGuildMember | null,
    user: Pick<User, 'id' | 'username'> & { displayAvatarURL(): string },
  ): Promise<TicketActor> {
    const guild = member instanceof GuildMember ? member : null;
    const roleIds =
      member instanceof GuildMember ? [...member.roles.cache.keys()] : (member?.roles ?? []);
    return ticketActor(
      await this.auth.actorForDiscordMember({
        discordId: user.id,
        username: user.username,
        displayName: guild?.displayName ?? null,
        avatarUrl: guild ? guild.displayAvatarURL() : user.displayAvatarURL(),
        roleIds,
      }),
    );
  }
}
