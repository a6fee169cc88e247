import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { SECURITY } from '../core/openapi';
import type { Permission } from './permissions';
import type { AuthenticatedRequest, Principal, UserPrincipal } from './principal';

export const AUTH_POLICY = 'guildhall:auth-policy';
export const LOGIN_ATTEMPT = 'guildhall:login-attempt';

/** How a route authenticates. Without a decorator: a valid user token, no particular permission. */
export interface AuthPolicy {
  /** Anyone; credentials, if sent, are not looked at. */
  public?: boolean;
  /** Anyone, but credentials that are sent must be valid. */
  optional?: boolean;
  permission?: Permission;
  /** Partner API keys are accepted (they need `permission` among their scopes, when one is named). */
  apiKey?: boolean;
  /** Only API keys, no user tokens (the Build Crew routes). */
  apiKeyOnly?: boolean;
}

const policy = (value: AuthPolicy) => SetMetadata(AUTH_POLICY, value);

export const Public = () => policy({ public: true });

export const OptionalAuth = () =>
  applyDecorators(policy({ optional: true }), ApiBearerAuth(SECURITY.bearer));

/** A user token whose user holds `permission` (admins hold every permission). */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    policy({ permission }),
    ApiBearerAuth(SECURITY.bearer),
    ApiExtension('x-permission', permission),
  );

/** A user token with `permission`, or an API key with that scope. */
export const UserOrApiKey = (permission: Permission) =>
  applyDecorators(
    policy({ permission, apiKey: true }),
    ApiBearerAuth(SECURITY.bearer),
    ApiSecurity(SECURITY.apiKeyHeader),
    ApiSecurity(SECURITY.apiKeyQuery),
    ApiExtension('x-permission', permission),
  );

/** An API key (header, query or JSON body), with `scope` when named. */
export const ApiKeyAuth = (scope?: Permission) =>
  applyDecorators(
    policy({ permission: scope, apiKey: true, apiKeyOnly: true }),
    ApiSecurity(SECURITY.apiKeyHeader),
    ApiSecurity(SECURITY.apiKeyQuery),
    ...(scope ? [ApiExtension('x-permission', scope)] : []),
  );

/** Any valid user token. */
export const Authenticated = () => ApiBearerAuth(SECURITY.bearer);

/** Marks a route whose requests count against the login attempt limits. */
export const LoginAttempt = () => SetMetadata(LOGIN_ATTEMPT, true);

export const RATE_LIMIT_GROUP = 'guildhall:rate-limit-group';
/** Puts a route under a named extra request budget (see the throttlers in auth.module.ts). */
export const RateLimitGroup = (name: 'generate-code' | 'image-proxy') =>
  SetMetadata(RATE_LIMIT_GROUP, name);

/** Who created something, for audit columns: `user:<id>` or `key:<id>`. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.user.id}` : `key:${principal.keyId}`;
}

/** A user principal as audit logs name them: the `actorOf` id and the username at the time. */
export function namedActorOf(principal: UserPrincipal): { id: string; name: string } {
  return { id: actorOf(principal), name: principal.user.username };
}

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined => {
    return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  },
);
