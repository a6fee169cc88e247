import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { TransactionRunner } from '../core/database';
import { AppConfig } from '../core/env';
import { Cohort } from './cohort.entity';
import { cohortName, cohortPosition } from './invite-codes';

export const DEFAULT_COHORTS = 3;

export interface CohortFill {
  name: string;
  discord_role_id: string | null;
  members: number;
  capacity: number;
  remaining: number;
}

/**
 * Cohorts fill in order. A requested cohort is a preference: when it is full, a member goes to the
 * next one with room, and a new cohort (BC4, BC5, ...) is opened when every one is full.
 */
@Injectable()
export class CohortsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    @InjectRepository(Cohort) private readonly cohorts: Repository<Cohort>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.transactions.run(async (manager) => {
      for (let position = 1; position <= DEFAULT_COHORTS; position += 1)
        await this.open(manager, position);
      for (const [name, roleId] of Object.entries(this.config.invites.cohortRoleIds)) {
        await this.open(manager, cohortPosition(name));
        await manager.update(Cohort, { name }, { discordRoleId: roleId });
      }
    });
  }

  get capacity(): number {
    return this.config.invites.maxRoleMembers;
  }

  async exists(name: string): Promise<boolean> {
    return this.cohorts.existsBy({ name });
  }

  async fill(): Promise<CohortFill[]> {
    const all = await this.cohorts.find({ order: { position: 'ASC' } });
    return all.map((c) => ({
      name: c.name,
      discord_role_id: c.discordRoleId,
      members: c.memberCount,
      capacity: this.capacity,
      remaining: Math.max(0, this.capacity - c.memberCount),
    }));
  }

  /** The cohort a member preferring `preferred` would join now (for display; seats are taken on redemption). */
  async placementFor(preferred: string): Promise<string> {
    const start = cohortPosition(preferred);
    const all = await this.cohorts.find({ order: { position: 'ASC' } });
    const open = all.find((c) => c.position >= start && c.memberCount < this.capacity);
    return open?.name ?? cohortName(Math.max(start, ...all.map((c) => c.position + 1)));
  }

  /**
   * Takes one seat, inside the caller's transaction. Each step is a conditional UPDATE, so concurrent
   * redemptions can never fill a cohort beyond its capacity.
   */
  async takeSeat(manager: EntityManager, preferred: string): Promise<Cohort> {
    const start = cohortPosition(preferred);
    const candidates = await manager.find(Cohort, { order: { position: 'ASC' } });
    for (const cohort of candidates.filter((c) => c.position >= start)) {
      if (await this.tryTake(manager, cohort.name))
        return manager.findOneByOrFail(Cohort, { name: cohort.name });
    }
    let position = Math.max(start, ...candidates.map((c) => c.position + 1));
    for (;;) {
      await this.open(manager, position);
      const name = cohortName(position);
      if (await this.tryTake(manager, name)) return manager.findOneByOrFail(Cohort, { name });
      position += 1;
    }
  }

  private async tryTake(manager: EntityManager, name: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Cohort)
      .set({ memberCount: () => 'member_count + 1' })
      .where('name = :name AND member_count < :capacity', { name, capacity: this.capacity })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** Opens the cohort (and nothing else) if it does not exist yet. */
  async ensure(manager: EntityManager, name: string): Promise<void> {
    await this.open(manager, cohortPosition(name));
  }

  /** Seats taken outside redemption (members imported from the original server). */
  async addMembers(manager: EntityManager, name: string, count: number): Promise<void> {
    await this.open(manager, cohortPosition(name));
    await manager
      .createQueryBuilder()
      .update(Cohort)
      .set({ memberCount: () => `member_count + ${Math.trunc(count)}` })
      .where('name = :name', { name })
      .execute();
  }

  private async open(manager: EntityManager, position: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Cohort)
      .values({
        name: cohortName(position),
        position,
        discordRoleId: this.config.invites.cohortRoleIds[cohortName(position)] ?? null,
        memberCount: 0,
      })
      .orIgnore()
      .execute();
  }
}
