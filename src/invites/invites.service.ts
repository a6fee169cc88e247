import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { isUniqueViolation, TransactionRunner } from '../core/database';
import { Cohort } from './cohort.entity';
import { CohortsService } from './cohorts.service';
import { InviteRoles } from './invite-roles';
import { InviteCode, type InviteSource } from './invite-code.entity';
import { cohortPosition, randomCode } from './invite-codes';
import { type RedeemableCode, RedemptionsRepository } from './redemptions.repository';
import {
  CodeAlreadyExists,
  InviteAlreadyRedeemed,
  InviteExhausted,
  InviteExpired,
  InviteInUse,
  InviteNotFound,
  UnknownCohort,
} from './invites.errors';

export interface NewCode {
  /** A given code, or generated when absent. */
  code?: string;
  prefix?: string;
  length?: number;
  cohort: string;
  maxUses: number;
  source: InviteSource;
  email?: string | null;
  name?: string | null;
  createdBy: string | null;
  expiresAt?: Date | null;
}

export interface Redemption {
  code: string;
  cohort: string;
  discordRoleId: string | null;
  discordUserId: string;
  redeemedAt: Date;
  remainingUses: number;
}

export type CodeState = 'active' | 'used' | 'expired' | 'disabled';

export interface CodeQuery {
  state?: CodeState;
  cohort?: string;
  search?: string;
  limit: number;
  offset: number;
}

const GENERATE_ATTEMPTS = 5;
const INSERT_CHUNK = 100;

/** Invite codes: one code path for the Build Crew routes, the admin routes and the Discord command. */
@Injectable()
export class InvitesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cohorts: CohortsService,
    private readonly roles: InviteRoles,
    private readonly redemptions: RedemptionsRepository,
    @InjectRepository(InviteCode) private readonly codes: Repository<InviteCode>,
  ) {}

  /** Creates a code in its own transaction. */
  create(input: NewCode): Promise<InviteCode> {
    return this.transactions.run((manager) => this.createWith(manager, input));
  }

  /** Creates a code inside the caller's transaction (bulk requests create all or nothing). */
  async createWith(manager: EntityManager, input: NewCode): Promise<InviteCode> {
    if (!(await manager.existsBy(Cohort, { name: input.cohort })))
      throw UnknownCohort(input.cohort);
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A savepoint keeps a failed insert from spoiling the caller's transaction on PostgreSQL.
        return await manager.transaction(async (inner) => {
          const result = await inner.insert(InviteCode, newRow(input));
          const id = (result.identifiers[0] as { id: number }).id;
          return inner.findOneByOrFail(InviteCode, { id });
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (input.code !== undefined) throw CodeAlreadyExists();
        if (attempt >= GENERATE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Creates many generated codes inside the caller's transaction with one multi-row INSERT per chunk
   * (bulk requests make up to 500). A collision of random codes, which is rare, falls back to
   * creating them one by one.
   */
  async createManyWith(manager: EntityManager, inputs: NewCode[]): Promise<InviteCode[]> {
    for (const cohort of new Set(inputs.map((input) => input.cohort))) {
      if (!(await manager.existsBy(Cohort, { name: cohort }))) throw UnknownCohort(cohort);
    }
    const rows = inputs.map(newRow);
    try {
      return await manager.transaction(async (inner) => {
        const byCode = new Map<string, InviteCode>();
        // Chunk by chunk, serving waiting requests in between: 500 codes at once held the event
        // loop for some 40 ms.
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          const chunk = rows.slice(i, i + INSERT_CHUNK);
          await inner.insert(InviteCode, chunk);
          const created = await inner.find(InviteCode, {
            where: { code: In(chunk.map((row) => row.code)) },
          });
          for (const invite of created) byCode.set(invite.code, invite);
          if (i + INSERT_CHUNK < rows.length) await yieldToRequests();
        }
        return rows.map((row) => byCode.get(row.code) as InviteCode);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const created: InviteCode[] = [];
      for (const input of inputs) created.push(await this.createWith(manager, input));
      return created;
    }
  }

  /** Every code in creation order (the Build Crew `list_codes`). */
  all(): Promise<InviteCode[]> {
    return this.codes.find({ order: { id: 'ASC' } });
  }

  async find(query: CodeQuery): Promise<{ codes: InviteCode[]; total: number }> {
    const qb = this.codes
      .createQueryBuilder('c')
      .orderBy('c.id', 'DESC')
      .take(query.limit)
      .skip(query.offset);
    if (query.cohort) qb.andWhere('c.cohort = :cohort', { cohort: query.cohort });
    if (query.search)
      qb.andWhere('c.code LIKE :search', { search: `${query.search.replace(/[%_\\]/g, '\\$&')}%` });
    const now = new Date();
    switch (query.state) {
      case 'disabled':
        qb.andWhere('c.disabled_at IS NOT NULL');
        break;
      case 'used':
        qb.andWhere('c.disabled_at IS NULL AND c.used_count >= c.max_uses');
        break;
      case 'expired':
        qb.andWhere(
          'c.disabled_at IS NULL AND c.used_count < c.max_uses AND c.expires_at <= :now',
          { now },
        );
        break;
      case 'active':
        qb.andWhere(
          'c.disabled_at IS NULL AND c.used_count < c.max_uses AND (c.expires_at IS NULL OR c.expires_at > :now)',
          { now },
        );
        break;
      case undefined:
        break;
    }
    const [codes, total] = await qb.getManyAndCount();
    return { codes, total };
  }

  async get(code: string): Promise<InviteCode> {
    const invite = await this.codes.findOneBy({ code });
    if (!invite) throw InviteNotFound();
    return invite;
  }

  /** Counts for the Build Crew `/stats`: active codes can still be redeemed, the rest cannot. */
  async stats(): Promise<{ active: number; expired: number; total: number; totalUses: number }> {
    const rows = await this.codes.find({
      select: { usedCount: true, maxUses: true, expiresAt: true, disabledAt: true },
    });
    const active = rows.filter((row) => stateOf(row) === 'active').length;
    return {
      active,
      expired: rows.length - active,
      total: rows.length,
      totalUses: rows.reduce((sum, row) => sum + row.usedCount, 0),
    };
  }

  /**
   * Redeems a code for a Discord member: 404 unknown, 409 already redeemed by them, 410 expired,
   * disabled or used up. One conditional UPDATE takes a use, a unique (code, member) row records it,
   * and the cohort seat and the cohort's Discord role grant are taken in the same transaction. A hot
   * write: the statements are RedemptionsRepository's plain SQL, each a condition that holds under
   * concurrent redemptions (never past max_uses, one per member). A refusal the last commit already
   * shows (a used-up code under a rush of redemptions) is answered before the write queue.
   */
  async redeem(code: string, discordUserId: string): Promise<Redemption> {
    const seen = await this.redemptions.seen(code, discordUserId);
    refuseUnredeemable(seen.invite, seen.redeemed, true);
    try {
      return await this.transactions.run(async (manager) => {
        const invite = await this.redemptions.code(manager, code);
        refuseUnredeemable(
          invite,
          invite !== null && (await this.redemptions.redeemedBy(manager, invite.id, discordUserId)),
          false,
        );
        if (!(await this.redemptions.takeUse(manager, invite.id))) throw InviteExhausted();
        // The code's cohort, or the next one with room; only when none has does a new one open.
        const cohort =
          (await this.redemptions.takeSeat(
            manager,
            cohortPosition(invite.cohort),
            this.cohorts.capacity,
          )) ?? (await this.cohorts.takeSeat(manager, invite.cohort));
        const redeemedAt = new Date();
        await this.redemptions.insert(manager, {
          codeId: invite.id,
          member: discordUserId,
          cohort: cohort.name,
          at: redeemedAt,
        });
        if (cohort.discordRoleId) {
          await this.roles.grantWith(manager, {
            userId: discordUserId,
            roleId: cohort.discordRoleId,
            code: invite.code,
            cohort: cohort.name,
          });
        }
        return {
          code: invite.code,
          cohort: cohort.name,
          discordRoleId: cohort.discordRoleId,
          discordUserId,
          redeemedAt,
          remainingUses: invite.maxUses - invite.usedCount - 1,
        };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw InviteAlreadyRedeemed();
      throw error;
    }
  }

  async disable(code: string): Promise<InviteCode> {
    const invite = await this.get(code);
    if (!invite.disabledAt)
      await this.transactions.run((m) =>
        m.update(InviteCode, invite.id, { disabledAt: new Date() }),
      );
    return this.get(code);
  }

  /** Only a code nobody has redeemed can be deleted; a used one is disabled instead. */
  async delete(code: string): Promise<void> {
    const invite = await this.get(code);
    await this.transactions.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(InviteCode)
        .where('id = :id AND used_count = 0', { id: invite.id })
        .execute();
      if ((result.affected ?? 0) !== 1) throw InviteInUse();
    });
  }
}

/** The row for a new code; a code is generated unless the input names one. */
function newRow(input: NewCode): Omit<InviteCode, 'id' | 'createdAt'> {
  return {
    code: input.code ?? randomCode(input.length ?? 16, input.prefix),
    cohort: input.cohort,
    maxUses: input.maxUses,
    usedCount: 0,
    source: input.source,
    email: input.email ?? null,
    name: input.name ?? null,
    createdBy: input.createdBy,
    expiresAt: input.expiresAt ?? null,
    disabledAt: null,
  };
}

/**
 * Throws the refusal a redemption gets, in the order it is told: unknown, already redeemed by this
 * member, expired or disabled, and, when `usedUp` counts, used up (inside the transaction the
 * conditional UPDATE tells that one).
 */
function refuseUnredeemable(
  invite: RedeemableCode | null,
  redeemed: boolean,
  usedUp: boolean,
): asserts invite is RedeemableCode {
  if (!invite) throw InviteNotFound();
  if (redeemed) throw InviteAlreadyRedeemed();
  const state = stateOf(invite);
  if (state === 'expired' || state === 'disabled') throw InviteExpired();
  if (usedUp && state === 'used') throw InviteExhausted();
}

export function stateOf(
  invite: Pick<InviteCode, 'usedCount' | 'maxUses' | 'expiresAt' | 'disabledAt'>,
  now = Date.now(),
): CodeState {
  if (invite.disabledAt) return 'disabled';
  if (invite.usedCount >= invite.maxUses) return 'used';
  if (invite.expiresAt && invite.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}
