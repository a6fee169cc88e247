import { isDeepStrictEqual } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { isUniqueViolation, TransactionRunner } from '../core/database';
import { DomainError, ValidationFailed } from '../core/errors';
import { BotSettings } from './bot-settings';
import { ConfigAuditEntry } from './config-audit.entity';
import { ConfigSection } from './config-section.entity';
import type { ConfigAuditListDto } from './dto/responses.dto';
import { NULLABLE_KEYS, type SectionName, type Sections } from './sections';

/** Who changes a setting, for the audit log. */
export interface ConfigActor {
  id: string;
  name: string;
}

export interface SectionSaved<S extends SectionName = SectionName> {
  value: Sections[S];
  etag: string;
  changed: string[];
}

export const NoConfigData = () => new DomainError('NO_DATA', 400, 'No data provided');
export const ConfigChanged = () =>
  new DomainError(
    'PRECONDITION_FAILED',
    412,
    'The section changed since it was read (If-Match does not match its ETag); read it again',
  );
const WriteConflict = () =>
  new DomainError(
    'CONFIG_WRITE_CONFLICT',
    409,
    'The section was changed at the same moment; please try again',
  );

const ATTEMPTS = 3;

/**
 * Saving and resetting configuration sections: partial PUTs, optimistic concurrency (a row version
 * checked by a conditional UPDATE, and the section's ETag against `If-Match`), and one audit entry
 * per change with the keys it changed, all in one transaction. BotSettings applies the result.
 */
@Injectable()
export class BotConfigService {
  private readonly logger = new Logger('BotConfig');

  constructor(
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Applies the keys of `patch` (already validated) to the section; others keep their value. */
  async update<S extends SectionName>(
    name: S,
    patch: object,
    actor: ConfigActor,
    ifMatch?: string,
  ): Promise<SectionSaved<S>> {
    const plain = JSON.parse(JSON.stringify(patch)) as Record<string, unknown>;
    const refused = Object.entries(plain)
      .filter(([key, value]) => value === null && !(NULLABLE_KEYS[name] as string[]).includes(key))
      .map(([key]) => ({ field: key, message: `${key} must not be null` }));
    if (refused.length > 0) throw new ValidationFailed(refused);
    if (Object.keys(plain).length === 0) throw NoConfigData();
    return this.save(name, 'update', actor, ifMatch, (current) => ({ ...current, ...plain }));
  }

  /**
   * Changes a section by a function of its current stored value, read in the same transaction:
   * for changes that must not lose a concurrent one (the list of unloaded cogs).
   */
  change<S extends SectionName>(
    name: S,
    actor: ConfigActor,
    change: (current: Sections[S]) => Sections[S],
  ): Promise<SectionSaved<S>> {
    return this.save(name, 'update', actor, undefined, change);
  }

  /** Restores the section's defaults (only this section). */
  reset<S extends SectionName>(name: S, actor: ConfigActor): Promise<SectionSaved<S>> {
    return this.save(name, 'reset', actor, undefined, () => this.settings.defaultsOf(name));
  }

  /** The audit log, newest first: at most `limit` entries older than `beforeId`. */
  async audit(query: {
    section?: SectionName;
    limit: number;
    beforeId?: number;
  }): Promise<ConfigAuditListDto> {
    const rows = await this.dataSource.getRepository(ConfigAuditEntry).find({
      where: {
        ...(query.section ? { section: query.section } : {}),
        ...(query.beforeId ? { id: LessThan(query.beforeId) } : {}),
      },
      order: { id: 'DESC' },
      take: query.limit,
    });
    const entries = rows.map((row) => {
      const before = JSON.parse(row.before) as object;
      const after = JSON.parse(row.after) as object;
      return {
        id: row.id,
        section: row.section,
        action: row.action,
        actor: { id: row.actor, name: row.actorName },
        changed_keys: Object.keys({ ...before, ...after }),
        before,
        after,
        at: row.createdAt.toISOString(),
      };
    });
    const last = entries.at(-1);
    return {
      entries,
      count: entries.length,
      next_before: entries.length === query.limit && last ? last.id : null,
    };
  }

  private async save<S extends SectionName>(
    name: S,
    action: 'update' | 'reset',
    actor: ConfigActor,
    ifMatch: string | undefined,
    change: (current: Sections[S]) => Sections[S] | Record<string, unknown>,
  ): Promise<SectionSaved<S>> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const saved = await this.transactions.run((manager) =>
          this.saveIn(manager, name, action, actor, ifMatch, change),
        );
        this.logger.log(
          { section: name, action, actor: actor.id, keys: saved.changed },
          'Configuration changed',
        );
        return saved;
      } catch (error) {
        const conflict = error === WRITE_CONFLICT || isUniqueViolation(error);
        if (!conflict) throw error;
        if (attempt >= ATTEMPTS) throw WriteConflict();
      }
    }
  }

  private async saveIn<S extends SectionName>(
    manager: EntityManager,
    name: S,
    action: 'update' | 'reset',
    actor: ConfigActor,
    ifMatch: string | undefined,
    change: (current: Sections[S]) => Sections[S] | Record<string, unknown>,
  ): Promise<SectionSaved<S>> {
    const rows = manager.getRepository(ConfigSection);
    const row = await rows.findOne({ where: { name } });
    const current = this.settings.valueOf(name, row?.value);
    const etag = this.settings.etagOf(current);
    if (ifMatch !== undefined && !matches(ifMatch, etag)) throw ConfigChanged();
    const next = change(current) as Sections[S];
    const changed = Object.keys(next).filter(
      (key) =>
        !isDeepStrictEqual(
          (current as Record<string, unknown>)[key],
          (next as Record<string, unknown>)[key],
        ),
    );
    if (changed.length === 0 && !(action === 'reset' && row?.value)) {
      return { value: current, etag, changed };
    }
    const version = (row?.version ?? 0) + 1;
    const value = action === 'reset' ? null : JSON.stringify(next);
    if (row) {
      const result = await rows.update(
        { name, version: row.version },
        { value, version, updatedBy: actor.id },
      );
      if (result.affected !== 1) throw WRITE_CONFLICT;
    } else {
      await rows.insert({ name, value, version, updatedBy: actor.id });
    }
    const pick = (source: object) =>
      JSON.stringify(
        Object.fromEntries(changed.map((key) => [key, (source as Record<string, unknown>)[key]])),
      );
    await manager.getRepository(ConfigAuditEntry).insert({
      section: name,
      action,
      actor: actor.id,
      actorName: actor.name.slice(0, 100),
      before: pick(current),
      after: pick(next),
    });
    this.transactions.afterCommit(() => this.settings.committed(name, next, version));
    return { value: next, etag: this.settings.etagOf(next), changed };
  }
}

/** Thrown inside the transaction so it rolls back; `save` retries with a fresh read. */
const WRITE_CONFLICT = new Error('config_sections row changed concurrently');

/** `If-Match: *`, one validator or a list of them; weak validators never match (RFC 9110 §13.1.1). */
function matches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((part) => part.trim())
    .includes(etag);
}
