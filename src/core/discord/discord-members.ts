import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Client } from 'discord.js';
import { AppConfig } from '../env';
import { DISCORD_CLIENT } from './discord-client';

export interface MemberProfile {
  name: string;
  avatarUrl: string;
}

/** Names and avatars of the community's members, from the bot's cache (never a Discord call). */
@Injectable()
export class DiscordMembers {
  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(DISCORD_CLIENT) private readonly client?: Client,
  ) {}

  profile(userId: string | null | undefined): MemberProfile | null {
    if (!userId || !this.client?.isReady() || !this.config.discord.guildId) return null;
    const member = this.client.guilds.cache
      .get(this.config.discord.guildId)
      ?.members.cache.get(userId);
    if (!member) return null;
    return { name: member.displayName, avatarUrl: member.displayAvatarURL() };
  }
}
