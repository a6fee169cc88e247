import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { actorOf, ApiKeyAuth, CurrentPrincipal, RateLimitGroup } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { AppConfig } from '../core/env';
import { CohortsService } from './cohorts.service';
import {
  AcceptUserDto,
  AcceptUserResponseDto,
  AddInviteCodeDto,
  BulkAcceptDto,
  BulkAcceptResponseDto,
  BulkEmailAcceptDto,
  BulkEmailAcceptResponseDto,
  CodeCreatedDto,
  GenerateCodeDto,
  ListCodesDto,
  StatsDto,
} from './dto/build-crew.dto';
import type { InviteCode } from './invite-code.entity';
import { InvitesService } from './invites.service';
import { OnboardingService } from './onboarding.service';
import { CogRoutes } from '../cogs/cog-feature';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'A retry with the same key returns the first response instead of creating new codes.',
};

/**
 * The Build Crew partner API, at the root as its guide documents it. Every route takes an API key in
 * the X-API-Key header, the api_key query parameter or an api_key field of the JSON body.
 */
@ApiTags('build-crew')
@CogRoutes('Invites')
@Controller()
export class BuildCrewController {
  constructor(
    private readonly config: AppConfig,
    private readonly invites: InvitesService,
    private readonly cohorts: CohortsService,
    private readonly onboarding: OnboardingService,
  ) {}

  /** Add a specific invite code. */
  @Post('add_invite_code')
  @ApiKeyAuth('invites.write')
  @HttpCode(200)
  @ApiConflictResponse({ description: '{"error": "Code already exists", "code": 409}' })
  async addInviteCode(
    @Body() body: AddInviteCodeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CodeCreatedDto> {
    const invite = await this.invites.create({
      code: body.code,
      cohort: body.role,
      maxUses: body.max_uses ?? 1,
      source: 'manual',
      createdBy: actorOf(principal),
      expiresAt: body.expires_at ?? null,
    });
    return created(invite, 'Invite code added successfully');
  }

  /** Generate a random invite code (rate-limited per key, INVITES_GENERATE_PER_MINUTE). */
  @Post('generate_code')
  @ApiKeyAuth('invites.write')
  @RateLimitGroup('generate-code')
  @HttpCode(200)
  async generateCode(
    @Body() body: GenerateCodeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CodeCreatedDto> {
    const invite = await this.invites.create({
      length: body.code_length ?? 16,
      cohort: body.role,
      maxUses: body.max_uses ?? 1,
      source: 'generated',
      createdBy: actorOf(principal),
      expiresAt: body.expires_at ?? null,
    });
    return created(invite, 'Invite code generated successfully');
  }

  /** List all invite codes and their use. */
  @Get('list_codes')
  @ApiKeyAuth('invites.read')
  async listCodes(): Promise<ListCodesDto> {
    const codes = await this.invites.all();
    return {
      codes: codes.map((c) => ({
        code: c.code,
        role: c.cohort,
        max_uses: c.maxUses,
        used_count: c.usedCount,
        remaining: Math.max(0, c.maxUses - c.usedCount),
        line_number: c.id,
      })),
      total: codes.length,
      timestamp: new Date().toISOString(),
    };
  }

  /** Code counts, system settings and cohort fill. */
  @Get('stats')
  @ApiKeyAuth('stats.read')
  async stats(): Promise<StatsDto> {
    const counts = await this.invites.stats();
    return {
      invite_codes: {
        active: counts.active,
        expired: counts.expired,
        total: counts.total,
        total_uses: counts.totalUses,
      },
      system: {
        max_role_members: this.config.invites.maxRoleMembers,
        development_mode: !this.config.app.isProduction,
        api_enabled: this.config.auth.apiEnabled,
      },
      cohorts: await this.cohorts.fill(),
      timestamp: new Date().toISOString(),
    };
  }

  /** Accept one user: an `ACCEPT_` code and an e-mail template. */
  @Post('accept_user')
  @ApiKeyAuth('invites.write')
  @HttpCode(200)
  acceptUser(
    @Body() body: AcceptUserDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AcceptUserResponseDto> {
    return this.onboarding.acceptUser(body, actorOf(principal));
  }

  /** Accept up to 100 users, all or nothing. */
  @Post('bulk_accept')
  @ApiKeyAuth('invites.bulk')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @HttpCode(200)
  bulkAccept(
    @Body() body: BulkAcceptDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BulkAcceptResponseDto> {
    return this.onboarding.bulkAccept(body.users, actorOf(principal), idempotencyKey);
  }

  /** Accept up to 500 pasted e-mail addresses, all or nothing; optionally e-mail the invitations. */
  @Post('bulk_email_accept')
  @ApiKeyAuth('invites.bulk')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @HttpCode(200)
  bulkEmailAccept(
    @Body() body: BulkEmailAcceptDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BulkEmailAcceptResponseDto> {
    return this.onboarding.bulkEmailAccept(
      body.emails,
      body.send_emails ?? false,
      actorOf(principal),
      idempotencyKey,
    );
  }
}

function created(invite: InviteCode, message: string): CodeCreatedDto {
  return {
    success: true,
    message,
    code: invite.code,
    role: invite.cohort,
    max_uses: invite.maxUses,
    created_at: invite.createdAt.toISOString(),
  };
}
