import { Injectable, Optional } from '@nestjs/common';
import { ChannelType, Client, type Guild } from 'discord.js';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import type { GuildChannelDto, GuildRoleDto } from './dto/guild.dto';

export const BotNotReady = () => new DomainError('BOT_NOT_READY', 503, 'Bot not initialized');
export const GuildNotFound = () => new DomainError('GUILD_NOT_FOUND', 404, 'Guild not found');

/** The community's guild as the bot's cache knows it (no Discord call per request). */
@Injectable()
export class GuildService {
  constructor(
    private readonly config: AppConfig,
    @Optional() private readonly client?: Client,
  ) {}

  /** Text channels and categories: categories first, then by position (the config pickers' order). */
  channels(): GuildChannelDto[] {
    const guild = this.guild();
    const entries = [...guild.channels.cache.values()]
      .filter((c) => c.type === ChannelType.GuildText || c.type === ChannelType.GuildCategory)
      .map((c) => ({
        id: c.id,
        name: c.name,
        category: c.parent?.name ?? null,
        position: 'rawPosition' in c ? c.rawPosition : 0,
        type: c.type === ChannelType.GuildCategory ? ('category' as const) : ('text' as const),
      }));
    return entries.sort((a, b) =>
      a.type === b.type ? a.position - b.position : a.type === 'category' ? -1 : 1,
    );
  }

  /** Every role but @everyone, highest first. */
  roles(): GuildRoleDto[] {
    const guild = this.guild();
    return [...guild.roles.cache.values()]
      .filter((role) => role.id !== guild.id)
      .sort((a, b) => b.position - a.position)
      .map((role) => ({
        id: role.id,
        name: role.name,
        color: role.color,
        position: role.position,
        mentionable: role.mentionable,
      }));
  }

  private guild(): Guild {
    if (!this.client?.isReady()) throw BotNotReady();
    const guild = this.config.discord.guildId
      ? this.client.guilds.cache.get(this.config.discord.guildId)
      : undefined;
    if (!guild) throw GuildNotFound();
    return guild;
  }
}
