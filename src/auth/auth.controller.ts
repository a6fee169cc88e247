import { Body, Controller, Get, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Authenticated, CurrentPrincipal, LoginAttempt, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import {
  LoginDto,
  LoginResponseDto,
  LogoutResponseDto,
  MeDto,
  RefreshResponseDto,
  VerifyTokenResponseDto,
} from './dto/auth.dto';
import { clientInfo, type UserPrincipal } from './principal';
import { roleClaim } from './permissions';

/** Login, token checks and the current user, as the HazeBot app calls them. */
@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Password login (API_ADMIN_USER / API_EXTRA_USERS). Limited per IP and per username. */
  @Post('login')
  @Public()
  @LoginAttempt()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    const issued = await this.auth.login(body.username, body.password, clientInfo(req));
    return {
      token: issued.token,
      user: issued.claims.user,
      role: issued.claims.role,
      discord_id: issued.claims.discord_id,
      permissions: issued.claims.permissions,
    };
  }

  /**
   * A new token for the current one, which stops working. A correctly signed token that expired
   * within JWT_REFRESH_GRACE is accepted.
   */
  @Post('refresh')
  @Public()
  @Authenticated()
  @HttpCode(200)
  async refresh(
    @Headers('authorization') authorization: string | undefined,
    @Req() req: Request,
  ): Promise<RefreshResponseDto> {
    const issued = await this.auth.refresh(this.auth.bearerToken(authorization), clientInfo(req));
    const { claims } = issued;
    const body: RefreshResponseDto = {
      token: issued.token,
      user: claims.user,
      discord_id: claims.discord_id,
      role: claims.role,
      permissions: claims.permissions,
    };
    if (claims.role_name) body.role_name = claims.role_name;
    return body;
  }

  /** 200 for a valid token, 401 otherwise (for nginx `auth_request`). */
  @Get('verify-token')
  @Authenticated()
  verifyTokenGet(@CurrentPrincipal() principal: UserPrincipal): VerifyTokenResponseDto {
    return verified(principal);
  }

  /** Same as the GET form. */
  @Post('verify-token')
  @Authenticated()
  @HttpCode(200)
  verifyTokenPost(@CurrentPrincipal() principal: UserPrincipal): VerifyTokenResponseDto {
    return verified(principal);
  }

  /** The caller, with their current role and permissions. */
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() principal: UserPrincipal): MeDto {
    const { user, session } = principal;
    return {
      user: user.username,
      discord_id: user.discordId ?? 'legacy_user',
      role: roleClaim(user.role),
      role_name: user.roleName,
      permissions: this.auth.permissionClaim(user),
      auth_type: session.authType,
      avatar_url: user.avatarUrl,
    };
  }

  /** Ends the session of this token at once. */
  @Post('logout')
  @Authenticated()
  @HttpCode(200)
  async logout(@CurrentPrincipal() principal: UserPrincipal): Promise<LogoutResponseDto> {
    await this.auth.logout(principal);
    return { message: 'Logged out successfully' };
  }
}

function verified(principal: UserPrincipal): VerifyTokenResponseDto {
  return {
    valid: true,
    user: principal.user.username,
    role: roleClaim(principal.user.role),
    expires_at: new Date(principal.claims.exp * 1000).toISOString(),
  };
}
