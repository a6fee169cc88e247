import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { LRUCache } from 'lru-cache';
import { growingLru } from '../core/cache';
import { AppConfig } from '../core/env';
import { REDIS, RedisChannel } from '../core/redis';
import type { ApiKey } from './api-key.entity';
import type { Session } from './session.entity';
import type { User } from './user.entity';

export interface CachedSession {
  session: Session;
  user: User;
}

type Invalidation =
  { kind: 'session'; id: string } | { kind: 'user'; id: string } | { kind: 'api_key'; id: string };

const isInvalidation = (value: unknown): value is Invalidation => {
  const { kind, id } = (value ?? {}) as { kind?: unknown; id?: unknown };
  return typeof id === 'string' && (kind === 'session' || kind === 'user' || kind === 'api_key');
};

/**
 * Sessions with their users, and API keys, as the last database read found them, so a warm token or
 * key costs no round-trip. Bounded in entries (AUTH_CACHE_MAX_ENTRIES) and in age
 * (AUTH_CACHE_TTL_MS). Revocation stays exact: every change that ends a session or changes a user
 * or key calls `forget…` after its commit, which drops the entries here and, through Redis pub/sub,
 * on every other instance; the TTL bounds how long a lost message could matter.
 *
 * A read that started before an invalidation must not put what it found back afterwards: `fill`
 * takes the generation the read started in and stores nothing if anything was forgotten since.
 */
@Injectable()
export class PrincipalCache implements OnModuleInit, OnApplicationShutdown {
  private readonly sessions: LRUCache<string, CachedSession>;
  private readonly apiKeys: LRUCache<string, ApiKey>;
  private readonly disabled: boolean;
  private currentGeneration = 0;
  private readonly channel: RedisChannel<Invalidation>;

  constructor(config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    const { cacheMaxEntries: max, cacheTtlMs: ttl } = config.auth;
    this.sessions = growingLru(max, { ttl: Math.max(1, ttl) });
    this.apiKeys = growingLru(max, { ttl: Math.max(1, ttl) });
    this.disabled = ttl <= 0;
    this.channel = new RedisChannel(
      redis,
      config.redis.keyPrefix,
      'auth-invalidate',
      isInvalidation,
    );
  }

  async onModuleInit(): Promise<void> {
    await this.channel.listen((change) => this.apply(change));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
  }

  /** The generation a read starts in, for `fillSession`/`fillApiKey`. */
  generation(): number {
    return this.currentGeneration;
  }

  session(id: string): CachedSession | undefined {
    return this.sessions.get(id);
  }

  fillSession(id: string, entry: CachedSession, generation: number): void {
    if (!this.disabled && generation === this.currentGeneration) this.sessions.set(id, entry);
  }

  apiKey(hash: string): ApiKey | undefined {
    return this.apiKeys.get(hash);
  }

  fillApiKey(hash: string, key: ApiKey, generation: number): void {
    if (!this.disabled && generation === this.currentGeneration) this.apiKeys.set(hash, key);
  }

  /**
   * The forget… calls drop the entries here at once; their promise settles when Redis has passed
   * the change to the other instances (see RedisChannel.publish), so a caller that awaits it
   * answers only when the very next request, on any instance, reads afresh.
   */
  forgetSession(id: string): Promise<void> {
    this.apply({ kind: 'session', id });
    return this.channel.publish({ kind: 'session', id });
  }

  /** A user's role, ban or existence changed: every session of theirs is read afresh. */
  forgetUser(id: string): Promise<void> {
    this.apply({ kind: 'user', id });
    return this.channel.publish({ kind: 'user', id });
  }

  forgetApiKey(id: string): Promise<void> {
    this.apply({ kind: 'api_key', id });
    return this.channel.publish({ kind: 'api_key', id });
  }

  private apply(change: Invalidation): void {
    this.currentGeneration += 1;
    switch (change.kind) {
      case 'session':
        this.sessions.delete(change.id);
        return;
      case 'user':
        for (const [id, entry] of this.sessions.entries()) {
          if (entry.user.id === change.id) this.sessions.delete(id);
        }
        return;
      case 'api_key':
        for (const [hash, key] of this.apiKeys.entries()) {
          if (key.id === change.id) this.apiKeys.delete(hash);
        }
        return;
    }
  }
}
