import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from 'discord.js';
import { DataSource, IsNull, Not } from 'typeorm';
import { User } from '../auth/user.entity';
import { BotSettings } from '../bot-config/bot-settings';
import { TransactionRunner } from '../core/database';
import { DISCORD_CLIENT } from '../core/discord';
import { AppConfig } from '../core/env';
import { PushQueue } from '../core/push';
import { RealtimeHub } from '../core/realtime';
import { Ticket } from '../tickets/ticket.entity';
import { Broadcast } from './broadcast.entity';
import type { BroadcastDto, GamingMemberDto, ProfileDto } from './dto/admin.dto';

export interface AdminActor {
  id: string;
  name: string;
}

/** Figures and tools of the admin screens; guild figures come from the bot's cache. */
@Injectable()
export class AdminService {
  private readonly logger = new Logger('Admin');

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly hub: RealtimeHub,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pushes: PushQueue,
    @Optional() @Inject(DISCORD_CLIENT) private readonly client?: Client,
  ) {}

  async stats() {
    const tickets = this.dataSource.getRepository(Ticket);
    const [total, open] = await Promise.all([
      tickets.count(),
      tickets.count({ where: { status: Not('closed') } }),
    ]);
    const ready = this.client?.isReady() ? this.client : undefined;
    return {
      bot_uptime: ready ? Math.floor((ready.uptime ?? 0) / 1000) : 0,
      total_guilds: ready ? ready.guilds.cache.size : 0,
      total_members: ready ? ready.guilds.cache.reduce((sum, g) => sum + g.memberCount, 0) : 0,
      total_tickets: total,
      open_tickets: open,
    };
  }

  /** Stores the broadcast with its push (when push is configured), then tells every connected socket. */
  async broadcast(
    input: { title: string; message: string; priority: string },
    actor: AdminActor,
  ): Promise<{ broadcast: BroadcastDto; deliveredToSockets: boolean }> {
    const saved = await this.transactions.run(async (manager) => {
      const row = await manager.getRepository(Broadcast).save(
        manager.getRepository(Broadcast).create({
          id: randomUUID(),
          ...input,
          sentBy: actor.id,
          sentByName: actor.name.slice(0, 100),
        }),
      );
      await this.pushes.broadcast(manager, row.id);
      return row;
    });
    const broadcast: BroadcastDto = {
      id: saved.id,
      title: saved.title,
      message: saved.message,
      priority: saved.priority,
      sent_by: saved.sentByName,
      created_at: saved.createdAt.toISOString(),
    };
    const deliveredToSockets = this.hub.emitToAll('broadcast', broadcast);
    this.logger.log({ broadcast: saved.id, actor: actor.id }, 'Broadcast sent');
    return { broadcast, deliveredToSockets };
  }

  /**
   * The community's members for the ticket assign dialog: the guild's from the bot's cache, or
   * without a bot the Discord users who have signed in to Guildhall.
   */
  async members(): Promise<{ members: GamingMemberDto[]; appUsers: number }> {
    const users = await this.dataSource.getRepository(User).find({
      where: { discordId: Not(IsNull()), bannedAt: IsNull() },
      select: { discordId: true, username: true, displayName: true, avatarUrl: true },
    });
    const appUsers = new Set(users.map((user) => user.discordId).filter(Boolean));
    const guild = this.guild();
    if (guild) {
      const members = [...guild.members.cache.values()]
        .filter((member) => !member.user.bot)
        .map((member) => ({
          id: member.id,
          username: member.user.username,
          name: member.user.username,
          display_name: member.displayName,
          avatar_url: member.displayAvatarURL(),
          status: member.presence?.status ?? 'offline',
          activity: member.presence?.activities[0]?.name ?? null,
          using_app: appUsers.has(member.id),
        }))
        .sort((a, b) => a.display_name.localeCompare(b.display_name));
      return { members, appUsers: members.filter((member) => member.using_app).length };
    }
    const members = users
      .filter((user): user is User & { discordId: string } => Boolean(user.discordId))
      .map((user) => ({
        id: user.discordId,
        username: user.username,
        name: user.username,
        display_name: user.displayName ?? user.username,
        avatar_url: user.avatarUrl,
        status: 'offline',
        activity: null,
        using_app: true,
      }))
      .sort((a, b) => a.display_name.localeCompare(b.display_name));
    return { members, appUsers: members.length };
  }

  /** The caller's profile, as the notification settings screen reads it (password users too). */
  profile(user: User, role: string): ProfileDto {
    const roles = this.settings.get('roles');
    const member = user.discordId ? this.guild()?.members.cache.get(user.discordId) : undefined;
    const holds = (roleId: string | null) => Boolean(roleId && member?.roles.cache.has(roleId));
    return {
      discord_id: user.discordId,
      username: user.username,
      display_name: member?.displayName ?? user.displayName ?? user.username,
      avatar_url: member?.displayAvatarURL() ?? user.avatarUrl,
      role,
      notifications: {
        changelog_opt_in: holds(roles.changelog_role_id),
        meme_opt_in: holds(roles.meme_role_id),
      },
    };
  }

  private guild() {
    const id = this.config.discord.guildId;
    return id && this.client?.isReady() ? this.client.guilds.cache.get(id) : undefined;
  }
}
