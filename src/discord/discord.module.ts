import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DISCORD_CLIENT } from '../core/discord';
import type { AppConfig } from '../core/env';
import { InvitesModule } from '../invites/invites.module';
import { MemesModule } from '../memes/memes.module';
import { RocketLeagueModule } from '../rocket-league/rocket-league.module';
import { TicketsModule } from '../tickets/tickets.module';
import { DiscordLogging } from './discord-logging.service';
import { GuildController } from './guild.controller';
import { GuildService } from './guild.service';

/**
 * The Discord bot (Necord, discord.js 14). Of the instances with a token and DISCORD_GATEWAY on,
 * the owner of the singleton lease logs in to the gateway; without a token the API runs alone. discord.js talks REST to DISCORD_API_BASE and
 * takes the gateway URL from `GET /gateway/bot` there, as in production.
 *
 * Necord, discord.js and the slash commands of the feature modules are loaded only when the bot
 * runs: an instance without one starts faster and smaller.
 */
@Module({})
export class DiscordModule {
  static async forRoot(config: AppConfig): Promise<DynamicModule> {
    const { discord } = config;
    const base = {
      module: DiscordModule,
      imports: [TicketsModule],
      controllers: [GuildController],
      providers: [GuildService, DiscordLogging],
    };
    if (!discord.gatewayEnabled || !discord.token) return base;
    const [
      { NecordModule },
      { Client, GatewayIntentBits },
      bot,
      tickets,
      invites,
      welcome,
      guide,
      presence,
      memes,
      rocketLeague,
      gateway,
    ] = await Promise.all([
      import('necord'),
      import('discord.js'),
      import('./bot-events'),
      import('../tickets/ticket.commands'),
      import('../invites/invite.commands'),
      import('./welcome.listener'),
      import('./server-guide.commands'),
      import('./presence.service'),
      import('../memes/meme.commands'),
      import('../rocket-league/rocket-league.commands'),
      import('./gateway-login'),
    ]);
    return {
      ...base,
      // The client is injected by token wherever the bot's cache is read (member names, guild).
      global: true,
      providers: [
        ...base.providers,
        bot.BotEvents,
        tickets.TicketCommands,
        invites.InviteCommands,
        welcome.WelcomeListener,
        guide.ServerGuideCommands,
        presence.PresenceService,
        memes.MemeCommands,
        rocketLeague.RocketLeagueCommands,
        gateway.GatewayLogin,
        { provide: DISCORD_CLIENT, useExisting: Client },
      ],
      exports: [DISCORD_CLIENT, gateway.GatewayLogin],
      imports: [
        AuthModule,
        TicketsModule,
        InvitesModule,
        MemesModule,
        RocketLeagueModule,
        {
          // Logs in only on the owner of the singleton lease.
          ...NecordModule.forRoot({
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
          module: gateway.LeasedNecordModule,
        },
      ],
    };
  }
}
