import { Injectable, Logger, UseFilters } from '@nestjs/common';
import { type APIInteractionGuildMember, GuildMember, MessageFlags } from 'discord.js';
import {
  Context,
  type ContextOf,
  On,
  Options,
  SlashCommand,
  type SlashCommandContext,
  StringOption,
} from 'necord';
import { DiscordExceptionFilter } from '../core/discord';
import { AppConfig } from '../core/env';
import { OutboxService } from '../core/outbox';
import { NotATicketChannel } from './tickets.errors';
import { type Actor, TicketsService } from './tickets.service';

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
 * stored and reach the app. Same service, same rules as the REST routes.
 */
@Injectable()
@UseFilters(DiscordExceptionFilter)
export class TicketCommands {
  private readonly logger = new Logger('TicketCommands');

  constructor(
    private readonly config: AppConfig,
    private readonly tickets: TicketsService,
    private readonly outbox: OutboxService,
  ) {}

  @SlashCommand({ name: 'ticket', description: 'Open a support ticket', dmPermission: false })
  async open(
    @Context() [interaction]: SlashCommandContext,
    @Options() options: OpenTicketOptions,
  ): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const actor = this.actorOf(interaction.member, interaction.user);
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
    const current = await this.tickets.findById(ticket.id);
    const where = current?.channelId
      ? `Continue in <#${current.channelId}>.`
      : 'Its channel will appear shortly.';
    await interaction.editReply({ content: `🎫 Ticket #${ticket.ticketNum} opened. ${where}` });
  }

  @SlashCommand({ name: 'claim', description: 'Claim the ticket of this channel (staff)' })
  async claim(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const ticket = await this.ticketOf(interaction.channelId);
    const actor = this.actorOf(interaction.member, interaction.user);
    const claimed = await this.tickets.claim(actor, ticket.id);
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
    const actor = this.actorOf(interaction.member, interaction.user);
    const closed = await this.tickets.close(actor, ticket.id, reason?.trim() || null);
    await interaction.reply({
      content: `🔒 Ticket #${closed.ticketNum} closed.`,
      flags: MessageFlags.Ephemeral,
    });
  }

  /** A member or staff writing in a ticket channel: stored, and pushed to the app's room. */
  @On('messageCreate')
  async relay(@Context() [message]: ContextOf<'messageCreate'>): Promise<void> {
    if (message.author.bot || message.webhookId || message.system || !message.inGuild()) return;
    const ticket = await this.tickets.findByChannel(message.channelId);
    if (!ticket) return;
    const content = message.content.trim();
    const attachments = [...message.attachments.values()].map((a) => a.url);
    if (!content && attachments.length === 0) return;
    const stored = await this.tickets.recordDiscordMessage(
      ticket,
      this.actorOf(message.member, message.author),
      message.id,
      content,
      attachments,
    );
    if (!stored) this.logger.debug({ messageId: message.id }, 'Discord message already stored');
  }

  private async ticketOf(channelId: string) {
    const ticket = await this.tickets.findByChannel(channelId);
    if (!ticket) throw NotATicketChannel();
    return ticket;
  }

  /** A Discord member as tickets know people: staff by the admin and moderator roles. */
  private actorOf(
    member: GuildMember | APIInteractionGuildMember | null,
    user: { id: string; username: string; displayAvatarURL(): string },
  ): Actor {
    const roles =
      member instanceof GuildMember ? [...member.roles.cache.keys()] : (member?.roles ?? []);
    const { admin, moderator } = this.config.discord.roles;
    const role =
      admin && roles.includes(admin)
        ? 'admin'
        : moderator && roles.includes(moderator)
          ? 'moderator'
          : null;
    return {
      id: user.id,
      name: member instanceof GuildMember ? member.displayName : user.username,
      avatar: member instanceof GuildMember ? member.displayAvatarURL() : user.displayAvatarURL(),
      staff: role !== null,
      seesAll: role !== null,
      role,
    };
  }
}
