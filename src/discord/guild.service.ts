import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChannelType } from 'discord-api-types/v10';
import type { Client, Guild } from 'discord.js';
import { DISCORD_CLIENT } from '../core/discord';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import type { GuildChannelDto, GuildRoleDto } from './dto/guild.dto';

const TEXT: number = ChannelType.GuildText;
const CATEGORY: number = ChannelType.GuildCategory;

export const BotNotReady = () => new DomainError('BOT_NOT_READY', 503, 'Bot not initialized');
export const GuildNotFound = () => new DomainError('GUILD_NOT_FOUND', 404, 'Guild not found');

/** The community's guild as the bot's cache knows it (no Discord call per request). */
@Injectable()
export class GuildService {
  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(DISCORD_CLIENT) private readonly client?: Client,
  ) {}

  /** Text channels and categories: categories first, then by position (the config pickers' order). */
  channels(): GuildChannelDto[] {
    const guild = this.guild();
    const entries = [...guild.channels.cache.values()]
      // discord.js carries its own copy of these enums: compare by value.
      .filter((c) => [TEXT, CATEGORY].includes(Number(c.type)))
      .map((c) => ({
        id: c.id,
        name: c.name,
        category: c.parent?.name ?? null,
        position: 'rawPosition' in c ? c.rawPosition : 0,
        type: Number(c.type) === CATEGORY ? ('category' as const) : ('text' as const),
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
