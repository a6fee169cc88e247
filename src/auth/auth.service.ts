import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { BotSettings } from '../bot-config/bot-settings';
import { AppConfig } from '../core/env';
import { TransactionRunner } from '../core/database';
import {
  InvalidCredentials,
  SessionEnded,
  TokenEmpty,
  TokenInvalid,
  TokenMissing,
  UserBanned,
} from './auth.errors';
import type { Actor, DiscordMemberIdentity } from './actor';
import {
  permissionClaim,
  permissionsOf,
  type RolePolicy,
  roleClaim,
  roleFromGuildRoles,
} from './permissions';
import type { ClientInfo, UserPrincipal } from './principal';
import { type AuthType, Session, type SessionEndReason } from './session.entity';
import { type CachedSession, PrincipalCache } from './principal-cache';
import { SessionActivity } from './session-activity';
import { type ClaimsToSign, TokenService } from './token.service';
import { User } from './user.entity';
import { UsersService } from './users.service';
import { Metrics } from '../core/metrics';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
  user: User;
  session: Session;
  claims: ClaimsToSign;
}

@Injectable()
export class AuthService {
  private readonly policy: RolePolicy;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly transactions: TransactionRunner,
    private readonly cache: PrincipalCache,
    private readonly activity: SessionActivity,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly metrics: Metrics,
  ) {
    this.policy = { moderatorFullAccess: config.auth.moderatorFullAccess };
  }

  /** Password login against API_ADMIN_USER / API_EXTRA_USERS. */
  async login(username: string, password: string, client: ClientInfo): Promise<IssuedToken> {
    const configured = [this.config.auth.admin, ...this.config.auth.extraUsers];
    // Every configured password is compared, in constant time, whatever the username.
    let matched = false;
    for (const candidate of configured) {
      const same = constantTimeEqual(candidate.password, password);
      matched = (candidate.username === username && same) || matched;
    }
    const user = matched ? await this.users.findPasswordUser(username) : null;
    if (!user || user.disabledAt || user.bannedAt) this.metrics.loginFailures.inc();
    if (!user || user.disabledAt) throw InvalidCredentials();
    if (user.bannedAt) throw UserBanned();
    return this.issue(user, 'legacy', client);
  }

  /** A new session and its token. */
  async issue(
    user: User,
    authType: AuthType,
    client: ClientInfo,
    clientSessionId?: string,
  ): Promise<IssuedToken> {
    const session = this.sessions.create({
      id: randomUUID(),
      userId: user.id,
      authType,
      clientSessionId: clientSessionId ?? client.clientSessionId ?? randomBytes(16).toString('hex'),
      platform: client.platform,
      deviceInfo: client.deviceInfo,
      appVersion: client.appVersion,
      userAgent: client.userAgent,
      ip: client.ip,
      lastActivityAt: new Date(),
      revokedAt: null,
      revokedReason: null,
    });
    const claims = this.claimsFor(user, session);
    const { token, expiresAt } = this.tokens.sign(claims);
    session.expiresAt = expiresAt;
    await this.sessions.insert(session);
    return { token, expiresAt, user, session, claims };
  }

  /** Reads the bearer token of an Authorization header, with HazeBot's 401 messages. */
  bearerToken(header: string | undefined): string {
    if (header === undefined || header.trim() === '') throw TokenMissing();
    const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim());
    if (!match) throw TokenInvalid();
    const token = (match[1] ?? '').trim();
    if (token === '') throw TokenEmpty();
    if (token.split('.').length !== 3) throw TokenInvalid();
    return token;
  }

  /**
   * Who a token belongs to, checked against the session and the user as they are now: from the
   * principal cache on a warm session (no database round-trip), else one statement.
   */
  async authenticate(token: string, client?: ClientInfo): Promise<UserPrincipal> {
    const claims = this.tokens.verify(token);
    const found = this.cache.session(claims.jti) ?? (await this.loadSession(claims.jti));
    if (!found) throw SessionEnded();
    const { session, user } = found;
    if (session.userId !== claims.sub || session.revokedAt) throw SessionEnded();
    if (user.bannedAt || user.disabledAt) throw SessionEnded();
    if (client) this.activity.touch(session, client);
    return {
      kind: 'user',
      user,
      session,
      claims,
      permissions: permissionsOf(user.role, this.policy),
    };
  }

  /** A user as an actor, with the permissions of their current role. */
  actorFor(user: User): Actor {
    return { user, permissions: permissionsOf(user.role, this.policy) };
  }

  /**
   * A Discord member acting in Discord (a slash command, a message in a ticket channel), as the
   * Guildhall user they are: created on first use, refused when banned or disabled, with the
   * permissions of their current role, exactly as a token of theirs would carry.
   */
  async actorForDiscordMember(member: DiscordMemberIdentity): Promise<Actor> {
    const user = await this.users.findOrCreateDiscordUser({
      discordId: member.discordId,
      username: member.username,
      displayName: member.displayName,
      avatarUrl: member.avatarUrl,
      role: roleFromGuildRoles(member.roleIds, this.settings.staffRoles()),
      roleName: null,
    });
    if (user.bannedAt || user.disabledAt) throw UserBanned();
    return this.actorFor(user);
  }

  /**
   * Rotates a session: the old token stops working and a new one is issued. A correctly signed token
   * that expired within JWT_REFRESH_GRACE is accepted, so the app's 401 → refresh → retry works.
   */
  async refresh(token: string, client: ClientInfo): Promise<IssuedToken> {
    const claims = this.tokens.verify(token, this.config.auth.refreshGraceSeconds);
    const old = await this.sessions.findOne({
      where: { id: claims.jti },
      relations: { user: true },
    });
    const user = old?.user;
    if (!old || !user || old.userId !== claims.sub || old.revokedAt) throw SessionEnded();
    if (user.bannedAt || user.disabledAt) throw SessionEnded();
    const ended = await this.end(old.id, 'refreshed');
    if (!ended) throw SessionEnded(); // a concurrent refresh of the same token won
    return this.issue(
      user,
      old.authType,
      { ...client, platform: client.platform ?? old.platform },
      client.clientSessionId ?? old.clientSessionId,
    );
  }

  /**
   * Which of these sessions are still live (not ended, their user neither banned nor disabled), in
   * one query per 500: the socket gateway's sweep.
   */
  async liveSessions(sessionIds: readonly string[]): Promise<Set<string>> {
    const live = new Set<string>();
    for (let i = 0; i < sessionIds.length; i += 500) {
      const rows = await this.sessions
        .createQueryBuilder('s')
        .innerJoin('s.user', 'u')
        .select('s.id', 'id')
        .where('s.id IN (:...ids)', { ids: sessionIds.slice(i, i + 500) })
        .andWhere('s.revoked_at IS NULL')
        .andWhere('u.banned_at IS NULL')
        .andWhere('u.disabled_at IS NULL')
        .getRawMany<{ id: string }>();
      for (const row of rows) live.add(row.id);
    }
    return live;
  }

  async logout(principal: UserPrincipal): Promise<void> {
    await this.end(principal.session.id, 'logout');
  }

  /** Ends a session if it is still active; false when it was already ended. */
  private async end(sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const result = await this.sessions.update(
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    await this.cache.forgetSession(sessionId);
    return (result.affected ?? 0) > 0;
  }

  /** A session with its user, in one statement, kept in the principal cache. */
  private async loadSession(id: string): Promise<CachedSession | undefined> {
    const generation = this.cache.generation();
    const session = await this.sessions
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .where('s.id = :id', { id })
      .getOne();
    if (!session?.user) return undefined;
    const entry = { session, user: session.user };
    this.cache.fillSession(id, entry, generation);
    return entry;
  }

  claimsFor(
    user: User,
    session: Pick<Session, 'id' | 'authType' | 'clientSessionId'>,
  ): ClaimsToSign {
    const claims: ClaimsToSign = {
      sub: user.id,
      jti: session.id,
      user: user.username,
      discord_id: user.discordId ?? 'legacy_user',
      role: roleClaim(user.role),
      permissions: permissionClaim(user.role, this.policy),
      auth_type: session.authType,
      session_id: session.clientSessionId,
    };
    if (user.roleName) claims.role_name = user.roleName;
    return claims;
  }

  /** The permission claim for a user's current role (responses show current rights, not the token's). */
  permissionClaim(user: User): string[] {
    return permissionClaim(user.role, this.policy);
  }
}

export function constantTimeEqual(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
