import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { growingLru } from '../core/cache';
import { AppConfig } from '../core/env';
import { TokenExpired, TokenInvalid } from './auth.errors';

/** The claims of a Guildhall token: HazeBot's, plus `sub` (user id) and `jti` (session id). */
export interface TokenClaims {
  sub: string;
  jti: string;
  user: string;
  discord_id: string;
  role: string;
  role_name?: string;
  permissions: string[];
  auth_type: string;
  session_id: string;
  iat: number;
  exp: number;
}

export type ClaimsToSign = Omit<TokenClaims, 'iat' | 'exp'>;

@Injectable()
export class TokenService {
  /**
   * A KeyObject, not the string: jsonwebtoken tries to parse a string secret as a PEM public key on
   * every verify (about 35 times slower).
   */
  private readonly key: KeyObject;

  /**
   * Tokens whose signature checked out, with their claims: the same text always verifies the same,
   * so a warm client's requests skip the HMAC. Expiry is still checked on every call, and
   * revocation is the session's (see PrincipalCache).
   */
  private readonly verified = growingLru<string, TokenClaims>(10_000);

  constructor(private readonly config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.auth.secretKey, 'utf8'));
  }

  sign(claims: ClaimsToSign, now = nowSeconds()): { token: string; expiresAt: Date } {
    const exp = now + this.config.auth.tokenTtlSeconds;
    const token = jwt.sign({ ...claims, iat: now, exp }, this.key, { algorithm: 'HS256' });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Checks the signature (HS256 only), the shape and the expiry. With `graceSeconds`, a token that
   * expired less than that long ago is accepted too (for refresh).
   */
  verify(token: string, graceSeconds = 0): TokenClaims {
    let claims = this.verified.get(token);
    if (!claims) {
      let payload: unknown;
      try {
        payload = jwt.verify(token, this.key, { algorithms: ['HS256'], ignoreExpiration: true });
      } catch {
        throw TokenInvalid();
      }
      if (!isClaims(payload)) throw TokenInvalid();
      // Shared by every request with this token: nobody may change it.
      claims = Object.freeze(payload);
      this.verified.set(token, claims);
    }
    if (claims.exp + graceSeconds <= nowSeconds()) throw TokenExpired();
    return claims;
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number' &&
    typeof claims.sub === 'string' &&
    typeof claims.jti === 'string' &&
    typeof claims.user === 'string' &&
    typeof claims.role === 'string' &&
    Array.isArray(claims.permissions)
  );
}
