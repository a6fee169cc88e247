import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { isUniqueViolation } from '../core/database';
import { AppConfig } from '../core/env';
import { OAuthStateInvalid } from './auth.errors';
import { OAUTH_SOURCES, type OAuthSource } from './dto/discord-oauth.dto';
import { OAuthStateUse } from './oauth-state-use.entity';

const STATE_TTL_SECONDS = 600;
const LEGACY_STATES: readonly string[] = ['mobile', 'web', 'analytics'];

/**
 * OAuth `state`: `<source>.<nonce>.<expiry>.<hmac>`, signed with a key derived from SECRET_KEY and
 * usable once. It ties the callback to a login this server started (no login CSRF) and carries where
 * to send the user afterwards.
 */
@Injectable()
export class OAuthStateService {
  private readonly key: Buffer;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(OAuthStateUse) private readonly uses: Repository<OAuthStateUse>,
  ) {
    this.key = createHmac('sha256', config.auth.secretKey).update('guildhall:oauth-state').digest();
  }

  create(source: OAuthSource): string {
    const payload = `${source}.${randomBytes(16).toString('hex')}.${Math.floor(Date.now() / 1000) + STATE_TTL_SECONDS}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** The source the state was created for; a missing, forged, expired or replayed state is a 400. */
  async consume(state: string | undefined): Promise<OAuthSource> {
    if (state === undefined || state === '') throw OAuthStateInvalid('Missing OAuth state');
    if (this.config.discord.oauthLegacyState && LEGACY_STATES.includes(state))
      return state as OAuthSource;
    const parts = state.split('.');
    if (parts.length !== 4) throw OAuthStateInvalid('Invalid OAuth state');
    const [source, nonce, expiry, signature] = parts;
    const expected = Buffer.from(this.sign(`${source}.${nonce}.${expiry}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw OAuthStateInvalid('Invalid OAuth state');
    }
    if (!(OAUTH_SOURCES as readonly string[]).includes(source) || !/^[0-9a-f]{32}$/.test(nonce)) {
      throw OAuthStateInvalid('Invalid OAuth state');
    }
    if (Number(expiry) * 1000 <= Date.now())
      throw OAuthStateInvalid('OAuth state has expired; start the login again');
    // The primary key makes a second use fail, across every instance sharing the database.
    try {
      await this.uses.insert({ nonce, usedAt: new Date() });
    } catch (error) {
      if (isUniqueViolation(error))
        throw OAuthStateInvalid('OAuth state was already used; start the login again');
      throw error;
    }
    await this.uses.delete({
      usedAt: LessThan(new Date(Date.now() - 2 * STATE_TTL_SECONDS * 1000)),
    });
    return source as OAuthSource;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
