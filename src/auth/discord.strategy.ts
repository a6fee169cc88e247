import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-discord';
import { AppConfig } from '../core/env';
import { DISCORD_SCOPES, DiscordOAuthService, type DiscordUser } from './discord-oauth.service';
import type { DiscordIdentity } from './users.service';

/**
 * passport-discord exchanges the code. Its profile URL is fixed to discord.com, so the profile is
 * fetched through DISCORD_API_BASE instead (tests point that at a local stand-in).
 */
@Injectable()
export class DiscordStrategy extends PassportStrategy(Strategy, 'discord') {
  constructor(
    config: AppConfig,
    private readonly oauth: DiscordOAuthService,
  ) {
    super({
      clientID: config.discord.clientId as string,
      clientSecret: config.discord.clientSecret as string,
      callbackURL: config.discord.redirectUri as string,
      scope: DISCORD_SCOPES,
      authorizationURL: `${oauth.apiRoot}/oauth2/authorize`,
      tokenURL: `${oauth.apiRoot}/oauth2/token`,
    });
  }

  override userProfile(
    accessToken: string,
    done: (error: unknown, profile?: unknown) => void,
  ): void {
    this.oauth.fetchUser(accessToken).then(
      (user) => done(null, user),
      (error: unknown) => done(error),
    );
  }

  async validate(
    accessToken: string,
    _refreshToken: string,
    profile: DiscordUser,
  ): Promise<DiscordIdentity> {
    return this.oauth.identify(accessToken, profile);
  }
}
