import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainError } from '../core/errors';
import {
  OAuthCodeMissing,
  OAuthNotConfigured,
  OAuthStateInvalid,
  OAuthTokenFailed,
} from './auth.errors';
import { DiscordOAuthService } from './discord-oauth.service';
import type { OAuthSource } from './dto/discord-oauth.dto';
import { OAuthStateService } from './oauth-state.service';

export type OAuthCallbackRequest = Request & { oauthSource?: OAuthSource };

/** Runs before the code exchange: the code must be there and the state genuine and unused. */
@Injectable()
export class OAuthCallbackGuard implements CanActivate {
  constructor(
    private readonly oauth: DiscordOAuthService,
    private readonly states: OAuthStateService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.oauth.configured) throw OAuthNotConfigured();
    const req = context.switchToHttp().getRequest<OAuthCallbackRequest>();
    const query = req.query as Record<string, unknown>;
    if (typeof query.error === 'string')
      throw OAuthStateInvalid('Discord authorization was denied');
    if (typeof query.code !== 'string' || query.code === '') throw OAuthCodeMissing();
    req.oauthSource = await this.states.consume(
      typeof query.state === 'string' ? query.state : undefined,
    );
    return true;
  }
}

/** passport-discord's exchange, with its failures turned into Guildhall errors. */
@Injectable()
export class DiscordAuthGuard extends AuthGuard('discord') {
  override getAuthenticateOptions() {
    return { session: false };
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error instanceof DomainError) throw error;
    if (error || !user) throw OAuthTokenFailed();
    return user;
  }
}
