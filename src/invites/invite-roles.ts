import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DiscordRest } from '../core/discord';
import { OutboxService } from '../core/outbox';

export const ROLE_GRANT_KIND = 'discord.role-grant';

interface RoleGrant {
  userId: string;
  roleId: string;
  code: string;
  cohort: string;
}

/**
 * The cohort's Discord role for a member who redeemed a code. The grant is written in the redemption's
 * transaction and delivered by the outbox, so it is retried while Discord fails and never lost.
 */
@Injectable()
export class InviteRoles implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly discord: DiscordRest,
  ) {}

  onModuleInit(): void {
    this.outbox.register(ROLE_GRANT_KIND, async (payload) => {
      const grant = payload as unknown as RoleGrant;
      // PUT is idempotent: a retried grant of a role the member already has changes nothing.
      await this.discord.addRole(
        grant.userId,
        grant.roleId,
        `Redeemed invite code ${grant.code} (${grant.cohort})`,
      );
    });
  }

  /** Queues the grant inside the caller's transaction; nothing happens without Discord. */
  async grantWith(manager: EntityManager, grant: RoleGrant): Promise<void> {
    if (!this.discord.enabled) return;
    await this.outbox.enqueue(manager, ROLE_GRANT_KIND, { ...grant });
  }
}
