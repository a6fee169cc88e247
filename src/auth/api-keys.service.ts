import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { AppConfig } from '../core/env';
import { ApiKey } from './api-key.entity';
import {
  ApiKeyConflict,
  ApiKeyExpired,
  ApiKeyInvalid,
  ApiKeyNotFound,
  ApiKeyRevoked,
  ScopeNotGrantable,
} from './auth.errors';
import { constantTimeEqual } from './auth.service';
import { API_KEY_SCOPES, type ApiKeyScope } from './permissions';
import { PrincipalCache } from './principal-cache';
import type { ApiKeyPrincipal, UserPrincipal } from './principal';

const LAST_USED_INTERVAL_MS = 60_000;

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The secret, shown once. */
  key: string;
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    private readonly config: AppConfig,
    private readonly cache: PrincipalCache,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
  ) {}

  /**
   * The key a request carries, from the X-API-Key header, the `api_key` query parameter or an
   * `api_key` field of a JSON body (removed from the body so validation does not trip on it).
   * Two places carrying different keys is refused rather than guessed at.
   */
  extract(req: Request): string | undefined {
    const found: string[] = [];
    const header = req.headers['x-api-key'];
    if (typeof header === 'string' && header !== '') found.push(header);
    const query = (req.query as Record<string, unknown>).api_key;
    if (typeof query === 'string' && query !== '') found.push(query);
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && !Array.isArray(body) && 'api_key' in body) {
      if (typeof body.api_key === 'string' && body.api_key !== '') found.push(body.api_key);
      delete body.api_key;
    }
    if (found.length === 0) return undefined;
    if (found.some((key) => key !== found[0])) throw ApiKeyConflict();
    return found[0];
  }

  async authenticate(key: string): Promise<ApiKeyPrincipal> {
    const legacy = this.config.auth.legacyApiKey;
    if (legacy !== undefined && constantTimeEqual(legacy, key)) {
      return { kind: 'api_key', keyId: 'legacy', name: 'API_KEY', scopes: new Set(API_KEY_SCOPES) };
    }
    // Looked up by hash: timing can reveal at most how much of a hash matched, never of the key.
    const hash = hashKey(key);
    const apiKey = this.cache.apiKey(hash) ?? (await this.load(hash));
    if (!apiKey) throw ApiKeyInvalid();
    if (apiKey.revokedAt) throw ApiKeyRevoked();
    if (apiKey.expiresAt && apiKey.expiresAt.getTime() <= Date.now()) throw ApiKeyExpired();
    if (!apiKey.lastUsedAt || Date.now() - apiKey.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS) {
      // Written alongside, never waited for: when it was last used is a hint, not a record.
      apiKey.lastUsedAt = new Date();
      this.keys.update(apiKey.id, { lastUsedAt: apiKey.lastUsedAt }).catch((error: unknown) => {
        this.logger.warn({ err: error, keyId: apiKey.id }, 'Could not note an API key use');
      });
    }
    return { kind: 'api_key', keyId: apiKey.id, name: apiKey.name, scopes: new Set(apiKey.scopes) };
  }

  async create(
    creator: UserPrincipal,
    input: { name: string; scopes: ApiKeyScope[]; expiresAt: Date | null },
  ): Promise<CreatedApiKey> {
    for (const scope of input.scopes) {
      if (!creator.permissions.has(scope)) throw ScopeNotGrantable(scope);
    }
    const { key, prefix } = newSecret();
    const apiKey = this.keys.create({
      id: randomUUID(),
      name: input.name,
      prefix,
      keyHash: hashKey(key),
      scopes: [...new Set(input.scopes)],
      createdById: creator.user.id,
      expiresAt: input.expiresAt,
      lastUsedAt: null,
      rotatedAt: null,
      revokedAt: null,
    });
    await this.keys.insert(apiKey);
    return { apiKey: await this.keys.findOneByOrFail({ id: apiKey.id }), key };
  }

  list(): Promise<ApiKey[]> {
    return this.keys.find({ order: { createdAt: 'DESC' } });
  }

  /** A new secret for the same key; the old secret stops working at once. */
  async rotate(id: string): Promise<CreatedApiKey> {
    const apiKey = await this.get(id);
    if (apiKey.revokedAt) throw ApiKeyRevoked();
    const { key, prefix } = newSecret();
    await this.keys.update(apiKey.id, { prefix, keyHash: hashKey(key), rotatedAt: new Date() });
    await this.cache.forgetApiKey(apiKey.id);
    return { apiKey: await this.get(id), key };
  }

  async revoke(id: string): Promise<ApiKey> {
    const apiKey = await this.get(id);
    if (!apiKey.revokedAt) await this.keys.update(apiKey.id, { revokedAt: new Date() });
    await this.cache.forgetApiKey(apiKey.id);
    return this.get(id);
  }

  private async load(hash: string): Promise<ApiKey | null> {
    const generation = this.cache.generation();
    const apiKey = await this.keys.findOneBy({ keyHash: hash });
    if (apiKey) this.cache.fillApiKey(hash, apiKey, generation);
    return apiKey;
  }

  private async get(id: string): Promise<ApiKey> {
    const apiKey = await this.keys.findOneBy({ id });
    if (!apiKey) throw ApiKeyNotFound();
    return apiKey;
  }
}

function newSecret(): { key: string; prefix: string } {
  const prefix = `gh_${randomBytes(4).toString('hex')}`;
  return { prefix, key: `${prefix}_${randomBytes(24).toString('base64url')}` };
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
