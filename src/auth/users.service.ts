import { isDiscordId } from '../core/validation';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { AppConfig } from '../core/env';
import { isUniqueViolation, TransactionRunner } from '../core/database';
import { UserNotFound } from './auth.errors';
import { PrincipalCache } from './principal-cache';
import type { Role } from './permissions';
import { Session } from './session.entity';
import { User } from './user.entity';

export interface DiscordIdentity {
  discordId: string;
  username: string;
  displayName: string | null;
  avatarUrl: string | null;
  role: Role;
  roleName: string | null;
}

@Injectable()
export class UsersService implements OnModuleInit {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly cache: PrincipalCache,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Password users come from the configuration; ones no longer configured are disabled. */
  async onModuleInit(): Promise<void> {
    const configured = [this.config.auth.admin, ...this.config.auth.extraUsers].map(
      (u) => u.username,
    );
    await this.transactions.run(async (manager) => {
      const repo = manager.getRepository(User);
      for (const username of configured) {
        const existing = await repo.findOneBy({ loginName: username });
        if (existing) {
          if (existing.disabledAt) await repo.update(existing.id, { disabledAt: null });
          continue;
        }
        // Another instance starting at the same time may insert the same user: that one wins.
        await repo
          .createQueryBuilder()
          .insert()
          .values({
            id: randomUUID(),
            username,
            loginName: username,
            discordId: null,
            kind: 'password',
            role: 'admin',
            roleName: null,
            displayName: null,
            avatarUrl: null,
            bannedAt: null,
            disabledAt: null,
          })
          .orIgnore()
          .execute();
      }
      const stale = await repo.findBy({
        kind: 'password',
        loginName: Not(In(configured)),
        disabledAt: IsNull(),
      });
      if (stale.length === 0) return;
      const now = new Date();
      await repo.update({ id: In(stale.map((u) => u.id)) }, { disabledAt: now });
      await manager
        .getRepository(Session)
        .update(
          { userId: In(stale.map((u) => u.id)), revokedAt: IsNull() },
          { revokedAt: now, revokedReason: 'disabled' },
        );
      this.logger.log(
        `Disabled password users no longer configured: ${stale.map((u) => u.username).join(', ')}`,
      );
      this.transactions.afterCommit(() => stale.forEach((u) => void this.cache.forgetUser(u.id)));
    });
  }

  findPasswordUser(username: string): Promise<User | null> {
    return this.users.findOneBy({ loginName: username, kind: 'password' });
  }

  /** By internal id, or by Discord id when given a snowflake. */
  async get(idOrDiscordId: string): Promise<User> {
    const user = isDiscordId(idOrDiscordId)
      ? await this.users.findOneBy({ discordId: idOrDiscordId })
      : await this.users.findOneBy({ id: idOrDiscordId });
    if (!user) throw UserNotFound();
    return user;
  }

  /** Creates the user on first login and refreshes name, avatar and role on every later one. */
  async upsertDiscordUser(identity: DiscordIdentity): Promise<User> {
    return this.transactions.run(async (manager) => {
      const repo = manager.getRepository(User);
      const existing = await repo.findOneBy({ discordId: identity.discordId });
      const fields = {
        username: identity.username,
        displayName: identity.displayName,
        avatarUrl: identity.avatarUrl,
        role: identity.role,
        roleName: identity.roleName,
      };
      if (existing) {
        await repo.update(existing.id, fields);
        this.transactions.afterCommit(() => void this.cache.forgetUser(existing.id));
        return repo.findOneByOrFail({ id: existing.id });
      }
      const user = repo.create({
        id: randomUUID(),
        loginName: null,
        discordId: identity.discordId,
        kind: 'discord',
        bannedAt: null,
        disabledAt: null,
        ...fields,
      });
      await repo.insert(user);
      return repo.findOneByOrFail({ id: user.id });
    });
  }

  /**
   * The user behind a Discord member acting in Discord; created on first use with the role their
   * guild roles give, as a Discord login would. An existing user keeps their current role.
   */
  async findOrCreateDiscordUser(identity: DiscordIdentity): Promise<User> {
    const existing = await this.users.findOneBy({ discordId: identity.discordId });
    if (existing) return existing;
    try {
      return await this.upsertDiscordUser(identity);
    } catch (error) {
      // Two first messages at once: the other one created the user.
      if (!isUniqueViolation(error)) throw error;
      return this.users.findOneByOrFail({ discordId: identity.discordId });
    }
  }

  /** A role change takes effect on the next request: permissions are read from here, not the token. */
  async setRole(id: string, role: Role): Promise<User> {
    const user = await this.get(id);
    await this.users.update(user.id, { role });
    await this.cache.forgetUser(user.id);
    return this.get(user.id);
  }

  /** Banning ends every session of the user at once. */
  async setBanned(id: string, banned: boolean): Promise<User> {
    const user = await this.get(id);
    await this.transactions.run(async (manager) => {
      const now = new Date();
      await manager.getRepository(User).update(user.id, { bannedAt: banned ? now : null });
      if (banned) {
        await manager
          .getRepository(Session)
          .update(
            { userId: user.id, revokedAt: IsNull() },
            { revokedAt: now, revokedReason: 'banned' },
          );
      }
    });
    await this.cache.forgetUser(user.id);
    return this.get(user.id);
  }

  /** Deleting a user deletes their sessions with them (foreign key cascade). */
  async delete(id: string): Promise<void> {
    const user = await this.get(id);
    await this.users.delete(user.id);
    await this.cache.forgetUser(user.id);
  }
}
