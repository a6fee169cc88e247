import { type DynamicModule, Module } from '@nestjs/common';
import { GatewayIntentBits } from 'discord.js';
import { NecordModule } from 'necord';
import type { AppConfig } from '../core/env';
import { BotEvents } from './bot-events';
import { GuildController } from './guild.controller';
import { GuildService } from './guild.service';

/**
 * The Discord bot (Necord, discord.js 14). Only an instance with a token and DISCORD_GATEWAY on logs
 * in to the gateway; without a token the API runs alone. discord.js talks REST to DISCORD_API_BASE and
 * takes the gateway URL from `GET /gateway/bot` there, as in production.
 */
@Module({})
export class DiscordModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { discord } = config;
    const base = {
      module: DiscordModule,
      controllers: [GuildController],
      providers: [GuildService],
    };
    if (!discord.gatewayEnabled || !discord.token) return base;
    return {
      ...base,
      providers: [...base.providers, BotEvents],
      imports: [
        NecordModule.forRoot({
          token: discord.token,
          intents: [
            GatewayIntentBits.Guilds,
            GatewayIntentBits.GuildMembers,
            GatewayIntentBits.GuildMessages,
            GatewayIntentBits.MessageContent,
          ],
          rest: { api: discord.apiBase },
          development: discord.guildId ? [discord.guildId] : false,
        }),
      ],
    };
  }
}
