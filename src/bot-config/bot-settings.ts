import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import type { Repository } from 'typeorm';
import { AppConfig } from '../core/env';
import { REDIS, RedisChannel } from '../core/redis';
import { ConfigSection } from './config-section.entity';
import { sectionDefaults } from './section-defaults';
import {
  isSectionName,
  SECTION_NAMES,
  type SectionChange,
  type SectionName,
  type Sections,
} from './sections';

interface Current {
  value: unknown;
  version: number;
  etag: string;
}

const isAnnouncement = (value: unknown): value is { section: SectionName } =>
  typeof (value as { section?: unknown })?.section === 'string' &&
  isSectionName((value as { section: string }).section);

/**
 * The bot's settings as they are now, for every module that acts on them: read synchronously from
 * memory, never a database round-trip. A change saved here is applied at once; other instances hear
 * of it over Redis pub/sub and read the section again, and every instance re-reads all sections every
 * CONFIG_REFRESH_MS, which bounds how long a lost message could matter.
 */
@Injectable()
export class BotSettings implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('BotSettings');
  private readonly defaults: Sections;
  private readonly current = new Map<SectionName, Current>();
  private readonly listeners = new Set<(change: SectionChange) => void>();
  private readonly channel: RedisChannel<{ section: SectionName }>;
  private timer?: NodeJS.Timeout;
  private refreshFailing = false;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(ConfigSection) private readonly rows: Repository<ConfigSection>,
    @Inject(REDIS) redis: Redis | null,
  ) {
    this.defaults = sectionDefaults(config);
    for (const name of SECTION_NAMES) this.set(name, this.defaults[name], 0);
    this.channel = new RedisChannel(
      redis,
      config.redis.keyPrefix,
      'config-changed',
      isAnnouncement,
    );
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    await this.channel.listen(({ section }) => void this.refresh(section));
    const every = this.config.botConfig.refreshMs;
    if (every > 0) {
      this.timer = setInterval(() => void this.refresh(), every);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.channel.close();
  }

  get<S extends SectionName>(name: S): Readonly<Sections[S]> {
    return (this.current.get(name) as Current).value as Sections[S];
  }

  defaultsOf<S extends SectionName>(name: S): Sections[S] {
    return structuredClone(this.defaults[name]);
  }

  /** A strong validator of the section's current value, for `ETag` and `If-Match`. */
  etag(name: SectionName): string {
    return (this.current.get(name) as Current).etag;
  }

  /** The validator of a section value, whichever instance computes it. */
  etagOf(value: unknown): string {
    const text = JSON.stringify(value);
    return `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`;
  }

  /** The section's value from its stored row (null or absent: the defaults), with new keys filled. */
  valueOf<S extends SectionName>(name: S, stored: string | null | undefined): Sections[S] {
    const defaults = this.defaultsOf(name);
    if (!stored) return defaults;
    const saved = JSON.parse(stored) as Record<string, unknown>;
    const value = defaults as Record<string, unknown>;
    for (const key of Object.keys(value)) if (key in saved) value[key] = saved[key];
    return defaults;
  }

  /** The guild roles that make a member an admin or a moderator (the roles section). */
  staffRoles(): { admin: string | null; moderator: string | null } {
    const roles = this.get('roles');
    return { admin: roles.admin_role_id, moderator: roles.moderator_role_id };
  }

  /** Calls `listener` after every change of any section, on this instance or another. */
  onChange(listener: (change: SectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A change this instance committed: applied here at once and announced to the others. */
  committed(name: SectionName, value: unknown, version: number): void {
    this.set(name, value, version, 'local');
    void this.channel.publish({ section: name });
  }

  /** Reads one section, or all, from the database; a failure keeps what is known and is logged once. */
  async refresh(name?: SectionName): Promise<void> {
    try {
      const rows = await this.rows.find(name ? { where: { name } } : {});
      const byName = new Map(rows.map((row) => [row.name, row]));
      for (const section of name ? [name] : SECTION_NAMES) {
        const row = byName.get(section);
        const version = row?.version ?? 0;
        if (version <= (this.current.get(section)?.version ?? 0)) continue;
        this.set(section, this.valueOf(section, row?.value), version, 'remote');
      }
      if (this.refreshFailing) this.logger.log('Settings are read from the database again');
      this.refreshFailing = false;
    } catch (error) {
      if (!this.refreshFailing)
        this.logger.error({ err: error }, 'Could not read the settings; the last known ones apply');
      this.refreshFailing = true;
    }
  }

  /** `origin`: whose change it is, for the listeners; none at start-up. */
  private set(
    name: SectionName,
    value: unknown,
    version: number,
    origin?: 'local' | 'remote',
  ): void {
    const frozen = deepFreeze(structuredClone(value));
    this.current.set(name, { value: frozen, version, etag: this.etagOf(frozen) });
    if (!origin) return;
    for (const listener of this.listeners) {
      try {
        listener({ section: name, value: frozen, local: origin === 'local' } as SectionChange);
      } catch (error) {
        this.logger.error({ err: error, section: name }, 'A settings listener failed');
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
