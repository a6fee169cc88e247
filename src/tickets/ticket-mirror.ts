import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type APIChannel,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
  type RESTAPIChannelPatchOverwrite,
} from 'discord-api-types/v10';
import { type EntityManager, IsNull, LessThanOrEqual, Repository } from 'typeorm';
import { TransactionRunner } from '../core/database';
import { DiscordRest, nonceOf } from '../core/discord';
import { BotSettings } from '../bot-config/bot-settings';
import { AppConfig } from '../core/env';
import { type OutboxMessage, OutboxService } from '../core/outbox';
import { TicketMessage } from './ticket-message.entity';
import { Ticket } from './ticket.entity';

export const MIRROR_KINDS = {
  channel: 'discord.ticket-channel',
  sync: 'discord.ticket-sync',
  notice: 'discord.ticket-notice',
  closed: 'discord.ticket-closed',
  reopened: 'discord.ticket-reopened',
} as const;

interface MirrorPayload {
  ticketId: string;
  upTo?: number;
  text?: string;
}

const SNOWFLAKE = /^\d{17,20}$/;
/** How long a channel job waits for the command that opened the ticket before the worker takes it. */
const HOLD_MS = 15_000;
const MEMBER_ALLOW =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AttachFiles;
const STAFF_ALLOW = MEMBER_ALLOW | PermissionFlagsBits.ManageMessages;
const MEMBER_READ_ONLY = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;

/** The channel of ticket #N: `ticket-0007`. */
export function channelNameOf(ticketNum: number): string {
  return `ticket-${String(ticketNum).padStart(4, '0')}`;
}

/** How an app message reads in Discord (the format the HazeBot app parses back). */
export function relayText(message: TicketMessage): string {
  const who = message.isStaff ? `Admin Panel - ${message.authorName}` : message.authorName;
  return `**[${who}]:** ${message.content}`.slice(0, 2000);
}

/**
 * The ticket's Discord side: a private channel, the app's messages posted there in order, notices,
 * and the close and reopen effects. Each effect is written to the outbox in the transaction of the
 * change that caused it and delivered by whichever instance's worker takes it; a retried delivery
 * posts nothing twice (message nonces, and mirrored messages are marked).
 */
@Injectable()
export class TicketMirror implements OnModuleInit {
  private readonly logger = new Logger('TicketMirror');

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly discord: DiscordRest,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
    @InjectRepository(Ticket) private readonly tickets: Repository<Ticket>,
    @InjectRepository(TicketMessage) private readonly messages: Repository<TicketMessage>,
  ) {}

  onModuleInit(): void {
    const on = (kind: string, handle: (p: MirrorPayload, job: OutboxMessage) => Promise<void>) =>
      this.outbox.register(kind, (payload, job) =>
        handle(payload as unknown as MirrorPayload, job),
      );
    on(MIRROR_KINDS.channel, (p) => this.openChannel(p.ticketId));
    on(MIRROR_KINDS.sync, (p) => this.sync(p.ticketId, p.upTo));
    on(MIRROR_KINDS.notice, (p, job) => this.notice(p.ticketId, p.text ?? '', job));
    on(MIRROR_KINDS.closed, (p, job) => this.closed(p.ticketId, job));
    on(MIRROR_KINDS.reopened, (p, job) => this.reopened(p.ticketId, job));
  }

  get enabled(): boolean {
    return this.discord.enabled;
  }

  /**
   * Queues the ticket's channel; returns the outbox id (null without Discord). `hold` keeps the
   * worker off it for a while: the caller creates the channel itself at once.
   */
  async openWith(manager: EntityManager, ticketId: string, hold = false): Promise<string | null> {
    return this.enqueue(manager, MIRROR_KINDS.channel, { ticketId }, hold ? HOLD_MS : 0);
  }

  async messageWith(manager: EntityManager, ticketId: string, messageId: number): Promise<void> {
    await this.enqueue(manager, MIRROR_KINDS.sync, { ticketId, upTo: messageId });
  }

  async noticeWith(manager: EntityManager, ticketId: string, text: string): Promise<void> {
    await this.enqueue(manager, MIRROR_KINDS.notice, { ticketId, text });
  }

  async closedWith(manager: EntityManager, ticketId: string): Promise<void> {
    await this.enqueue(manager, MIRROR_KINDS.closed, { ticketId });
  }

  async reopenedWith(manager: EntityManager, ticketId: string): Promise<void> {
    await this.enqueue(manager, MIRROR_KINDS.reopened, { ticketId });
  }

  private async enqueue(
    manager: EntityManager,
    kind: string,
    payload: Record<string, unknown>,
    holdMs = 0,
  ): Promise<string | null> {
    if (!this.enabled) return null;
    return this.outbox.enqueue(manager, kind, payload, { holdMs });
  }

  /** Creates the private channel (or finds the one an interrupted attempt made), then catches up. */
  private async openChannel(ticketId: string): Promise<void> {
    const ticket = await this.tickets.findOneBy({ id: ticketId });
    if (!ticket) return;
    if (!ticket.channelId) {
      const name = channelNameOf(ticket.ticketNum);
      const parent = this.settings.get('channels').tickets_category_id;
      const existing = (await this.discord.guildChannels()).find(
        (c: APIChannel & { parent_id?: string | null }) =>
          c.name === name && (c.parent_id ?? null) === parent,
      );
      const channel =
        existing ??
        (await this.discord.createChannel(
          {
            name,
            type: ChannelType.GuildText,
            parent_id: parent,
            topic: `Ticket #${ticket.ticketNum}: ${ticket.subject}`.slice(0, 1024),
            permission_overwrites: this.overwrites(ticket),
          },
          `Ticket #${ticket.ticketNum} opened`,
        ));
      await this.transactions.run((manager) =>
        manager
          .createQueryBuilder()
          .update(Ticket)
          .set({ channelId: channel.id })
          .where('id = :id AND channel_id IS NULL', { id: ticket.id })
          .execute(),
      );
      ticket.channelId = channel.id;
      const opener = SNOWFLAKE.test(ticket.openerId) ? `<@${ticket.openerId}> ` : '';
      await this.discord.postMessage(channel.id, {
        content:
          `${opener}**Subject:** ${ticket.subject}\n\n**Description:**\n${ticket.description}`.slice(
            0,
            2000,
          ),
        nonce: nonceOf(ticket.id, 'opened'),
        allowed_mentions: { users: SNOWFLAKE.test(ticket.openerId) ? [ticket.openerId] : [] },
      });
    }
    await this.sync(ticket.id);
  }

  /** Posts the app's messages not yet in the channel, oldest first, up to `upTo` (all without). */
  private async sync(ticketId: string, upTo?: number): Promise<void> {
    const ticket = await this.tickets.findOneBy({ id: ticketId });
    // Without a channel yet there is nothing to do: creating it catches up on every message.
    if (!ticket?.channelId) return;
    const pending = await this.messages.find({
      where: {
        ticketId,
        source: 'app',
        discordMessageId: IsNull(),
        ...(upTo !== undefined && { id: LessThanOrEqual(upTo) }),
      },
      order: { id: 'ASC' },
    });
    for (const message of pending) {
      const posted = await this.discord.postMessage(ticket.channelId, {
        content: relayText(message),
        nonce: nonceOf('message', message.id),
      });
      await this.transactions.run((manager) =>
        manager.update(TicketMessage, message.id, { discordMessageId: posted.id }),
      );
    }
  }

  private async notice(ticketId: string, text: string, job: OutboxMessage): Promise<void> {
    const ticket = await this.tickets.findOneBy({ id: ticketId });
    if (!ticket?.channelId) return;
    await this.discord.postMessage(ticket.channelId, { content: text, nonce: nonceOf(job.id) });
  }

  /** Announces the close, takes the opener's voice and posts the transcript. */
  private async closed(ticketId: string, job: OutboxMessage): Promise<void> {
    const ticket = await this.tickets.findOneBy({ id: ticketId });
    if (!ticket) return;
    if (ticket.channelId) {
      const reason = ticket.closeReason ? `\n\n**Closing Message:** ${ticket.closeReason}` : '';
      const days = this.settings.get('tickets').auto_delete_after_close_days;
      const kept = days === null ? '' : ` It will be deleted after ${days} days.`;
      await this.discord.postMessage(ticket.channelId, {
        content: `Ticket successfully closed and archived.${kept}${reason}`.slice(0, 2000),
        nonce: nonceOf(job.id, 'notice'),
      });
      if (SNOWFLAKE.test(ticket.openerId)) {
        await this.discord.setPermission(
          ticket.channelId,
          ticket.openerId,
          {
            type: OverwriteType.Member,
            allow: String(MEMBER_READ_ONLY),
            deny: String(PermissionFlagsBits.SendMessages),
          },
          `Ticket #${ticket.ticketNum} closed`,
        );
      }
    }
    const transcriptChannel = this.settings.get('channels').transcript_channel_id;
    if (
      transcriptChannel &&
      ticket.transcriptText &&
      this.settings.get('tickets').transcript_enabled
    ) {
      await this.discord.postMessage(
        transcriptChannel,
        {
          content:
            `📄 Transcript of ticket #${ticket.ticketNum} (${ticket.type}): ${ticket.subject}`.slice(
              0,
              2000,
            ),
          nonce: nonceOf(job.id, 'transcript'),
        },
        [
          {
            name: `${channelNameOf(ticket.ticketNum)}.txt`,
            data: Buffer.from(ticket.transcriptText),
          },
        ],
      );
    }
  }

  private async reopened(ticketId: string, job: OutboxMessage): Promise<void> {
    const ticket = await this.tickets.findOneBy({ id: ticketId });
    if (!ticket?.channelId) return;
    if (SNOWFLAKE.test(ticket.openerId)) {
      await this.discord.setPermission(
        ticket.channelId,
        ticket.openerId,
        { type: OverwriteType.Member, allow: String(MEMBER_ALLOW), deny: '0' },
        `Ticket #${ticket.ticketNum} reopened`,
      );
    }
    await this.discord.postMessage(ticket.channelId, {
      content: `🔓 **Ticket has been reopened!**\nStatus changed to: **Open**\nReopen count: ${ticket.reopenCount}/${this.config.tickets.maxReopens}`,
      nonce: nonceOf(job.id),
    });
  }

  /** Hidden from everyone but the opener and the staff roles. */
  private overwrites(ticket: Ticket): RESTAPIChannelPatchOverwrite[] {
    const guildId = this.discord.guildId;
    const { admin_role_id: admin, moderator_role_id: moderator } = this.settings.get('roles');
    const overwrites: RESTAPIChannelPatchOverwrite[] = [
      {
        id: guildId,
        type: OverwriteType.Role,
        allow: '0',
        deny: String(PermissionFlagsBits.ViewChannel),
      },
    ];
    for (const role of [admin, moderator]) {
      if (role) overwrites.push({ id: role, type: OverwriteType.Role, allow: String(STAFF_ALLOW) });
    }
    if (SNOWFLAKE.test(ticket.openerId)) {
      overwrites.push({
        id: ticket.openerId,
        type: OverwriteType.Member,
        allow: String(MEMBER_ALLOW),
      });
    } else {
      this.logger.debug(
        { ticketId: ticket.id },
        'Opener has no Discord account; only staff see the channel',
      );
    }
    return overwrites;
  }
}
