import type { Request } from 'express';
import type { ApiKeyScope, Permission } from './permissions';
import type { Session } from './session.entity';
import type { TokenClaims } from './token.service';
import type { User } from './user.entity';

export interface UserPrincipal {
  kind: 'user';
  user: User;
  session: Session;
  claims: TokenClaims;
  permissions: ReadonlySet<Permission>;
}

export interface ApiKeyPrincipal {
  kind: 'api_key';
  /** `legacy` for the single API_KEY of the configuration. */
  keyId: string;
  name: string;
  scopes: ReadonlySet<ApiKeyScope>;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

export type AuthenticatedRequest = Request & { principal?: Principal };

/** What the HazeBot app says about itself in headers (see the contract, 1.2). */
export interface ClientInfo {
  platform: string | null;
  deviceInfo: string | null;
  appVersion: string | null;
  clientSessionId: string | null;
  userAgent: string | null;
  ip: string | null;
}

/** Read once per request: the auth guard and the analytics recording both need it. */
const clients = new WeakMap<Request, ClientInfo>();

export function clientInfo(req: Request): ClientInfo {
  const known = clients.get(req);
  if (known) return known;
  const header = (name: string, max: number): string | null => {
    const value = req.headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    return text && text.trim() !== '' && text !== 'Unknown' ? text.trim().slice(0, max) : null;
  };
  const info: ClientInfo = {
    platform: header('x-platform', 40),
    deviceInfo: header('x-device-info', 200),
    appVersion: header('x-app-version', 60),
    clientSessionId: header('x-session-id', 100),
    userAgent: header('user-agent', 300),
    ip: req.ip ?? null,
  };
  clients.set(req, info);
  return info;
}
