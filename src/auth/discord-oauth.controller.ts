import { Controller, Get, Headers, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from './auth.decorators';
import {
  DiscordAuthGuard,
  OAuthCallbackGuard,
  type OAuthCallbackRequest,
} from './discord-oauth.guards';
import { DiscordOAuthService } from './discord-oauth.service';
import {
  DiscordAuthQueryDto,
  DiscordAuthResponseDto,
  DiscordCallbackQueryDto,
  DiscordLoginResponseDto,
} from './dto/discord-oauth.dto';
import { OAuthStateService } from './oauth-state.service';
import { clientInfo } from './principal';
import type { DiscordIdentity } from './users.service';

/** "Login with Discord". */
@ApiTags('auth')
@Controller('api/discord')
export class DiscordOAuthController {
  constructor(
    private readonly oauth: DiscordOAuthService,
    private readonly states: OAuthStateService,
  ) {}

  /** Discord's authorization URL for this login, with a signed single-use state. */
  @Get('auth')
  @Public()
  auth(
    @Query() query: DiscordAuthQueryDto,
    @Headers('referer') referer?: string,
  ): DiscordAuthResponseDto {
    const source = query.state ?? this.oauth.sourceFromReferer(referer);
    return { auth_url: this.oauth.authorizeUrl(this.states.create(source)) };
  }

  /**
   * Where Discord sends the browser back. Redirects (302) to the web, analytics, Android or iOS
   * target with `?token=`, or answers with JSON when no target is configured.
   */
  @Get('callback')
  @Public()
  @UseGuards(OAuthCallbackGuard, DiscordAuthGuard)
  @ApiFoundResponse({ description: 'Redirect to the client with ?token=<jwt>' })
  async callback(
    @Query() _query: DiscordCallbackQueryDto,
    @Req() req: OAuthCallbackRequest,
    @Res() res: Response,
  ): Promise<void> {
    const issued = await this.oauth.login(req.user as DiscordIdentity, clientInfo(req));
    const target = this.oauth.redirectTarget(req.oauthSource ?? 'web');
    if (target) {
      const url = new URL(target);
      url.searchParams.set('token', issued.token);
      res.redirect(302, url.toString());
      return;
    }
    const body: DiscordLoginResponseDto = {
      token: issued.token,
      user: issued.claims.user,
      role: issued.claims.role,
      permissions: issued.claims.permissions,
      discord_user: {
        id: issued.user.discordId as string,
        username: issued.user.username,
        avatar_url: issued.user.avatarUrl,
      },
    };
    res.json(body);
  }
}
