import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyMissing,
  ApiKeyScopeMissing,
  InsufficientPermissions,
  TokenMissing,
} from './auth.errors';
import { AUTH_POLICY, type AuthPolicy } from './auth.decorators';
import { AuthService } from './auth.service';
import { type AuthenticatedRequest, clientInfo, type Principal } from './principal';

/**
 * The one guard every HTTP route passes: deny by default. Routes loosen or tighten it with the
 * decorators in auth.decorators.ts. Socket.IO authenticates in its handshake instead.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy =
      this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? {};
    if (policy.public) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();

    const key = policy.apiKey ? this.apiKeys.extract(req) : undefined;
    const authorization = req.headers.authorization;
    let principal: Principal;
    if (key !== undefined) {
      principal = await this.apiKeys.authenticate(key);
      if (policy.permission && !principal.scopes.has(policy.permission as never)) {
        throw ApiKeyScopeMissing(policy.permission);
      }
    } else if (authorization !== undefined && !policy.apiKeyOnly) {
      principal = await this.auth.authenticate(
        this.auth.bearerToken(authorization),
        clientInfo(req),
      );
      if (policy.permission && !principal.permissions.has(policy.permission))
        throw InsufficientPermissions();
    } else if (policy.optional) {
      return true;
    } else {
      throw policy.apiKey ? ApiKeyMissing() : TokenMissing();
    }
    req.principal = principal;
    return true;
  }
}
