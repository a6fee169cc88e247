import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIMessage,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIGuildChannelJSONBody,
  type RESTPutAPIChannelPermissionJSONBody,
  Routes,
} from 'discord-api-types/v10';
import { AppConfig } from '../env';
import { Metrics } from '../metrics';
import { DomainError } from '../errors';

export const DiscordDisabled = () =>
  new DomainError('DISCORD_DISABLED', 503, 'Discord is not configured (no DISCORD_TOKEN)');

export interface DiscordFile {
  name: string;
  data: Buffer;
}

/**
 * Guildhall's port to Discord's REST API. Every instance with a token has one, whether or not it runs
 * the gateway, so any instance can deliver Discord side effects from the outbox.
 */
@Injectable()
export class DiscordRest implements OnApplicationShutdown {
  private readonly logger = new Logger('DiscordRest');
  private readonly rest: REST | undefined;

  constructor(
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    const { token, apiBase } = config.discord;
    if (token) {
      // Loaded only with a token: an instance without Discord never pays for the client library.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { REST: Rest } = require('@discordjs/rest') as { REST: typeof REST };
      this.rest = new Rest({ api: apiBase }).setToken(token);
      this.rest.on('response', (_request, response) => {
        if (response.status >= 400) metrics.discordRestErrors.inc({ status: response.status });
      });
    }
    if (token && !config.discord.guildId)
      this.logger.warn(
        'DISCORD_TOKEN is set without DISCORD_GUILD_ID: Discord side effects are off',
      );
  }

  /** True when Discord side effects should happen: a token and the community's guild. */
  get enabled(): boolean {
    return this.rest !== undefined && this.config.discord.guildId !== undefined;
  }

  get guildId(): string {
    const id = this.config.discord.guildId;
    if (!id) throw DiscordDisabled();
    return id;
  }

  onApplicationShutdown(): void {
    this.rest?.clearHashSweeper();
    this.rest?.clearHandlerSweeper();
  }

  async addRole(userId: string, roleId: string, reason: string): Promise<void> {
    await this.api().put(Routes.guildMemberRole(this.guildId, userId, roleId), { reason });
  }

  async guildChannels(): Promise<APIChannel[]> {
    return (await this.api().get(Routes.guildChannels(this.guildId))) as APIChannel[];
  }

  async createChannel(body: RESTPostAPIGuildChannelJSONBody, reason: string): Promise<APIChannel> {
    return (await this.api().post(Routes.guildChannels(this.guildId), {
      body,
      reason,
    })) as APIChannel;
  }

  /**
   * Posts a message. With a nonce Discord refuses to create the same message twice (enforce_nonce),
   * so a retried delivery whose first attempt did reach Discord posts nothing new.
   */
  async postMessage(
    channelId: string,
    body: RESTPostAPIChannelMessageJSONBody,
    files: DiscordFile[] = [],
  ): Promise<APIMessage> {
    return (await this.api().post(Routes.channelMessages(channelId), {
      body: {
        allowed_mentions: { parse: [] },
        ...body,
        ...(body.nonce !== undefined && { enforce_nonce: true }),
      },
      files,
    })) as APIMessage;
  }

  async setPermission(
    channelId: string,
    overwriteId: string,
    body: RESTPutAPIChannelPermissionJSONBody,
    reason: string,
  ): Promise<void> {
    await this.api().put(Routes.channelPermission(channelId, overwriteId), { body, reason });
  }

  private api(): REST {
    if (!this.rest) throw DiscordDisabled();
    return this.rest;
  }
}

/** A message nonce (at most 25 characters) that stays the same for every retry of one delivery. */
export function nonceOf(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join(':')).digest('base64url').slice(0, 25);
}
