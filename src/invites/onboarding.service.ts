import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../core/env';
import { ValidationFailed } from '../core/errors';
import { IdempotencyService } from '../core/idempotency';
import { EMAIL_OUTBOX_KIND, MailService } from '../core/mail';
import { OutboxService } from '../core/outbox';
import { CohortsService } from './cohorts.service';
import type {
  AcceptUserResponseDto,
  BulkAcceptResponseDto,
  BulkEmailAcceptResponseDto,
} from './dto/build-crew.dto';
import { parseEmailList } from './email-list';
import { instructionsFor, invitationEmail } from './invitation-email';
import { InvitesService } from './invites.service';

export const MAX_BULK_USERS = 100;
export const MAX_BULK_EMAILS = 500;

export interface AcceptUser {
  email?: string;
  name?: string;
  cohort?: string;
}

/** Acceptance workflows of the Build Crew API: one user, a list of users, a pasted e-mail list. */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly config: AppConfig,
    private readonly invites: InvitesService,
    private readonly cohorts: CohortsService,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
  ) {}

  async acceptUser(user: AcceptUser, createdBy: string): Promise<AcceptUserResponseDto> {
    const preferred = user.cohort ?? 'BC1';
    const invite = await this.invites.create({
      prefix: 'ACCEPT_',
      length: 8,
      cohort: preferred,
      maxUses: 1,
      source: 'accept',
      email: user.email ?? null,
      name: user.name ?? null,
      createdBy,
    });
    const role = await this.cohorts.placementFor(preferred);
    return {
      success: true as const,
      message: 'Acceptance code generated successfully',
      invite_code: invite.code,
      role,
      max_uses: invite.maxUses,
      instructions: instructionsFor(invite.code),
      email_template: this.template(invite.code, role, user.name),
      user_info: { email: user.email ?? '', name: user.name ?? '', assigned_cohort: role },
      created_at: invite.createdAt.toISOString(),
    };
  }

  /** Up to 100 users, all or nothing. */
  async bulkAccept(
    users: AcceptUser[],
    createdBy: string,
    idempotencyKey?: string,
  ): Promise<BulkAcceptResponseDto> {
    const { body } = await this.idempotency.run<BulkAcceptResponseDto>(
      `${createdBy}:bulk_accept`,
      idempotencyKey,
      users,
      async (manager) => {
        const invites = await this.invites.createManyWith(
          manager,
          users.map((user) => {
            const cohort = user.cohort ?? 'BC1';
            return {
              prefix: `ACCEPT_${cohort}_`,
              length: 6,
              cohort,
              maxUses: 1,
              source: 'accept' as const,
              email: user.email ?? null,
              name: user.name ?? null,
              createdBy,
            };
          }),
        );
        const results = invites.map((invite, i) => ({
          success: true,
          invite_code: invite.code,
          role: invite.cohort,
          user_email: users[i].email ?? '',
          user_name: users[i].name ?? '',
          instructions: instructionsFor(invite.code),
        }));
        return {
          success: true as const,
          message: `Generated ${results.length} codes, 0 failed`,
          results,
          summary: { total_requested: users.length, successful: results.length, failed: 0 },
          created_at: new Date().toISOString(),
        };
      },
    );
    return body;
  }

  /**
   * Up to 500 addresses, all or nothing: an invalid line fails the request and nothing is stored.
   * With `send_emails` and EMAIL_ENABLED the invitations are queued in the same transaction and sent
   * by the outbox, so the answer comes at once and a failed send is retried.
   */
  async bulkEmailAccept(
    text: string,
    sendEmails: boolean,
    createdBy: string,
    idempotencyKey?: string,
  ): Promise<BulkEmailAcceptResponseDto> {
    const parsed = parseEmailList(text);
    if (parsed.invalid.length > 0) {
      throw new ValidationFailed(
        parsed.invalid.map(({ line, text: entry }) => ({
          field: `emails[line ${line}]`,
          message: `line ${line} is not an e-mail address: ${entry}`,
        })),
      );
    }
    if (parsed.addresses.length === 0)
      throw new ValidationFailed([{ field: 'emails', message: 'emails lists no address' }]);
    if (parsed.addresses.length > MAX_BULK_EMAILS) {
      throw new ValidationFailed([
        {
          field: 'emails',
          message: `Maximum ${MAX_BULK_EMAILS} emails per request (got ${parsed.addresses.length})`,
        },
      ]);
    }
    const emailing = sendEmails && this.mail.enabled;
    const request = { emails: text, send_emails: sendEmails };
    const { body } = await this.idempotency.run<BulkEmailAcceptResponseDto>(
      `${createdBy}:bulk_email_accept`,
      idempotencyKey,
      request,
      async (manager) => {
        const invites = await this.invites.createManyWith(
          manager,
          parsed.addresses.map((address) => ({
            prefix: 'BULK_',
            length: 9,
            cohort: 'BC1',
            maxUses: 1,
            source: 'bulk' as const,
            email: address.email,
            name: address.name || null,
            createdBy,
          })),
        );
        const results = [];
        for (const [i, address] of parsed.addresses.entries()) {
          const code = invites[i].code;
          if (emailing) await this.queueEmail(manager, address.email, address.name, code);
          results.push({
            email: address.email,
            name: address.name,
            invite_code: code,
            assigned_to: 'Auto-assigned to next available cohort',
            success: true,
            // Queued in this transaction and delivered by the outbox with retries.
            email_sent: emailing,
          });
        }
        return {
          success: true as const,
          message: `Processed ${results.length} emails`,
          results,
          summary: {
            total_processed: results.length,
            codes_generated: results.length,
            emails_sent: emailing ? results.length : 0,
            email_failures: 0,
            duplicates_skipped: parsed.duplicates.length,
            assignment_method: 'Auto-overflow from BC1 to next available cohort',
            email_sending_enabled: this.mail.enabled,
          },
          discord_info: {
            server_invite: this.config.discord.serverInvite ?? '',
            server_name: this.config.discord.serverName,
            command_to_use: '/invitecode',
          },
          created_at: new Date().toISOString(),
        };
      },
    );
    return body;
  }

  private template(code: string, cohort: string, name?: string | null) {
    return invitationEmail({
      serverName: this.config.discord.serverName,
      serverInvite: this.config.discord.serverInvite,
      code,
      cohort,
      name,
    });
  }

  private async queueEmail(
    manager: EntityManager,
    to: string,
    name: string,
    code: string,
  ): Promise<void> {
    const { subject, body } = this.template(code, 'BC1', name);
    await this.outbox.enqueue(manager, EMAIL_OUTBOX_KIND, { to, subject, text: body });
  }
}
