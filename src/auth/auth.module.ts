import { Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ExecutionContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../core/env';
import { REDIS } from '../core/redis';
import { ApiKey } from './api-key.entity';
import { ApiKeyCheckController, ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { LOGIN_ATTEMPT, RATE_LIMIT_GROUP } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { DiscordOAuthController } from './discord-oauth.controller';
import { DiscordAuthGuard, OAuthCallbackGuard } from './discord-oauth.guards';
import { DiscordOAuthService } from './discord-oauth.service';
import { DiscordStrategy } from './discord.strategy';
import { OAuthStateUse } from './oauth-state-use.entity';
import { OAuthStateService } from './oauth-state.service';
import type { AuthenticatedRequest } from './principal';
import { Session } from './session.entity';
import { MemoryThrottlerStorage } from './memory-throttler.storage';
import { PrincipalCache } from './principal-cache';
import { SessionActivity } from './session-activity';
import { GuildhallThrottlerGuard } from './throttler.guard';
import { TokenService } from './token.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

const reflector = new Reflector();
const isLoginAttempt = (context: ExecutionContext) =>
  reflector.get<boolean | undefined>(LOGIN_ATTEMPT, context.getHandler()) === true;
const inGroup = (context: ExecutionContext, group: string) =>
  reflector.get<string | undefined>(RATE_LIMIT_GROUP, context.getHandler()) === group;

/** The caller a budget belongs to: the user, the API key, or the address when anonymous. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the throttler hands trackers an untyped request
function callerOf(raw: Record<string, any>): string {
  const req = raw as AuthenticatedRequest;
  const principal = req.principal;
  if (principal?.kind === 'user') return `user:${principal.user.id}`;
  if (principal?.kind === 'api_key') return `key:${principal.keyId}`;
  return `ip:${req.ip ?? 'unknown'}`;
}

/**
 * Request budgets (in Redis when configured, so they hold across instances): every caller (user, API key, or address when anonymous) gets RATE_LIMIT_PER_MINUTE;
 * login attempts are also limited per address and per username.
 */
async function throttlerOptions(
  config: AppConfig,
  redis: Redis | null,
): Promise<ThrottlerModuleOptions> {
  const { loginLimits } = config.auth;
  // With Redis the budgets are shared by every instance; otherwise each keeps its own in memory.
  const storage = redis
    ? new (await import('@nest-lab/throttler-storage-redis')).ThrottlerStorageRedisService(redis)
    : new MemoryThrottlerStorage();
  return {
    storage,
    throttlers: [
      {
        name: 'default',
        ttl: 60_000,
        limit: config.auth.rateLimitPerMinute,
        getTracker: callerOf,
      },
      {
        // The Build Crew guide's example limit on POST /generate_code, per key.
        name: 'generate-code',
        ttl: 60_000,
        limit: config.invites.generatePerMinute,
        skipIf: (context) => !inGroup(context, 'generate-code'),
        getTracker: callerOf,
      },
      {
        // Anyone may call the image proxy: a budget per address keeps it from being a free CDN.
        name: 'image-proxy',
        ttl: 60_000,
        limit: config.imageProxy.perMinute,
        skipIf: (context) => !inGroup(context, 'image-proxy'),
        getTracker: (req) => `ip:${(req as AuthenticatedRequest).ip ?? 'unknown'}`,
      },
      {
        name: 'login-ip',
        ttl: loginLimits.windowSeconds * 1000,
        limit: loginLimits.perIp,
        skipIf: (context) => !isLoginAttempt(context),
        getTracker: (req) => `ip:${(req as AuthenticatedRequest).ip ?? 'unknown'}`,
      },
      {
        name: 'login-user',
        ttl: loginLimits.windowSeconds * 1000,
        limit: loginLimits.perUser,
        skipIf: (context) => !isLoginAttempt(context),
        getTracker: (req) => {
          const username = (
            (req as AuthenticatedRequest).body as { username?: unknown } | undefined
          )?.username;
          return `login:${typeof username === 'string' ? username.toLowerCase() : ''}`;
        },
      },
    ],
  };
}

@Module({
  imports: [
    TypeOrmModule.forFeature([User, Session, ApiKey, OAuthStateUse]),
    PassportModule,
    ThrottlerModule.forRootAsync({ inject: [AppConfig, REDIS], useFactory: throttlerOptions }),
  ],
  controllers: [
    AuthController,
    UsersController,
    ApiKeysController,
    ApiKeyCheckController,
    DiscordOAuthController,
  ],
  providers: [
    PrincipalCache,
    SessionActivity,
    TokenService,
    UsersService,
    AuthService,
    ApiKeysService,
    OAuthStateService,
    DiscordOAuthService,
    OAuthCallbackGuard,
    DiscordAuthGuard,
    {
      // passport-oauth2 refuses to build without a client id, so the strategy exists only when configured.
      provide: DiscordStrategy,
      inject: [AppConfig, DiscordOAuthService],
      useFactory: (config: AppConfig, oauth: DiscordOAuthService) =>
        oauth.configured ? new DiscordStrategy(config, oauth) : null,
    },
    // Order matters: the throttler keys budgets by the principal the auth guard found.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: GuildhallThrottlerGuard },
  ],
  exports: [AuthService, TokenService, UsersService, ApiKeysService],
})
export class AuthModule {}
