import { isDiscordId } from '../core/validation';
import { Injectable } from '@nestjs/common';
import { BotSettings } from '../bot-config/bot-settings';
import { AppConfig } from '../core/env';
import { NotGuildMember, OAuthNotConfigured, OAuthProfileFailed } from './auth.errors';
import { AuthService, type IssuedToken } from './auth.service';
import type { OAuthSource } from './dto/discord-oauth.dto';
import { roleFromGuildRoles } from './permissions';
import type { ClientInfo } from './principal';
import { type DiscordIdentity, UsersService } from './users.service';

export const DISCORD_SCOPES = ['identify', 'guilds.members.read'];

/** The parts of Discord's user object Guildhall reads. */
export interface DiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
  avatar?: string | null;
}

interface DiscordMember {
  roles: string[];
  nick?: string | null;
}

/** Discord OAuth2: settings, the guild-member lookup, the role mapping and where users go afterwards. */
@Injectable()
export class DiscordOAuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  get configured(): boolean {
    const { clientId, clientSecret, redirectUri, guildId } = this.config.discord;
    return Boolean(clientId && clientSecret && redirectUri && guildId);
  }

  /** Discord's versioned API root, e.g. https://discord.com/api/v10. */
  get apiRoot(): string {
    return `${this.config.discord.apiBase}/v10`;
  }

  authorizeUrl(state: string): string {
    if (!this.configured) throw OAuthNotConfigured();
    const { clientId, redirectUri } = this.config.discord;
    const params = new URLSearchParams({
      client_id: clientId as string,
      redirect_uri: redirectUri as string,
      response_type: 'code',
      scope: DISCORD_SCOPES.join(' '),
      state,
    });
    return `${this.apiRoot}/oauth2/authorize?${params.toString()}`;
  }

  /** Flask's hint when the client names no source: where the browser came from. */
  sourceFromReferer(referer: string | undefined): OAuthSource {
    if (referer && /\/login|\/analytics/.test(referer)) return 'analytics';
    return 'web';
  }

  async fetchUser(accessToken: string): Promise<DiscordUser> {
    const res = await fetch(`${this.apiRoot}/users/@me`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!res.ok) throw OAuthProfileFailed();
    const user = (await res.json()) as DiscordUser;
    // Even Discord's answer passes the one id rule before it names a user here.
    if (!isDiscordId(user.id)) throw OAuthProfileFailed();
    return user;
  }

  /** The guild member behind an access token, mapped to a Guildhall role. Not a member: 403. */
  async identify(accessToken: string, user: DiscordUser): Promise<DiscordIdentity> {
    const { guildId } = this.config.discord;
    const res = await fetch(`${this.apiRoot}/users/@me/guilds/${guildId}/member`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (res.status === 404) throw NotGuildMember();
    if (!res.ok) throw OAuthProfileFailed();
    const member = (await res.json()) as DiscordMember;
    const role = roleFromGuildRoles(member.roles, this.settings.staffRoles());
    return {
      discordId: user.id,
      username: user.username,
      displayName: member.nick ?? user.global_name ?? null,
      avatarUrl: user.avatar
        ? `https://cdn.discordapp.com/avatars/${user.id}/${user.avatar}.png`
        : null,
      role,
      // Role names come from the bot's guild cache, which is not part of this module.
      roleName: null,
    };
  }

  async login(identity: DiscordIdentity, client: ClientInfo): Promise<IssuedToken> {
    const user = await this.users.upsertDiscordUser(identity);
    if (user.bannedAt) throw NotGuildMember();
    return this.auth.issue(user, 'discord', client);
  }

  /** Where the callback sends the browser with `?token=`; undefined means answer with JSON. */
  redirectTarget(source: OAuthSource): string | undefined {
    const discord = this.config.discord;
    switch (source) {
      case 'mobile':
      case 'android':
        return discord.oauthAndroidUrl;
      case 'ios':
        return discord.oauthIosUrl;
      case 'analytics':
        return discord.oauthAnalyticsUrl ?? discord.oauthFrontendUrl;
      case 'web':
        return discord.oauthFrontendUrl;
    }
  }
}
