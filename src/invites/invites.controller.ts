import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  actorOf,
  CurrentPrincipal,
  RequirePermission,
  UserOrApiKey,
} from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ValidationFailed } from '../core/errors';
import { CohortsService } from './cohorts.service';
import { GuessBudget } from './guess-budget';
import {
  CohortListDto,
  CreateInviteDto,
  InviteDto,
  InviteListDto,
  ListInvitesQueryDto,
  RedeemDto,
  RedeemResponseDto,
} from './dto/invites-admin.dto';
import type { InviteCode } from './invite-code.entity';
import { DiscordAccountRequired, RedeemForOthers } from './invites.errors';
import { InvitesService, stateOf } from './invites.service';
import { CogRoutes } from '../cogs/cog-feature';

/** Invite codes and cohorts for the app's admins, and redemption. */
@ApiTags('invites')
@CogRoutes('Invites')
@Controller('api/invites')
export class InvitesController {
  constructor(
    private readonly invites: InvitesService,
    private readonly cohorts: CohortsService,
    private readonly guesses: GuessBudget,
  ) {}

  /** Codes, newest first, filtered and paged. */
  @Get()
  @RequirePermission('invites.read')
  async list(@Query() query: ListInvitesQueryDto): Promise<InviteListDto> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { codes, total } = await this.invites.find({
      state: query.state,
      cohort: query.cohort,
      search: query.search,
      limit,
      offset,
    });
    return { codes: codes.map(toDto), total, limit, offset };
  }

  @Post()
  @RequirePermission('invites.write')
  async create(
    @Body() body: CreateInviteDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InviteDto> {
    const invite = await this.invites.create({
      code: body.code,
      length: body.code_length ?? 16,
      cohort: body.cohort,
      maxUses: body.max_uses ?? 1,
      source: body.code ? 'manual' : 'generated',
      createdBy: actorOf(principal),
      expiresAt: body.expires_at ?? null,
    });
    return toDto(invite);
  }

  /** Every cohort with its fill. */
  @Get('cohorts')
  @RequirePermission('invites.read')
  async cohortList(): Promise<CohortListDto> {
    return { cohorts: await this.cohorts.fill() };
  }

  /**
   * Redeems a code: a Discord-logged-in member for themself, or a partner key (invites.redeem) for
   * the member it names. 404 unknown, 410 used up or expired, 409 already redeemed by this member;
   * 429 once the key, the member or the address tried too many unknown codes (INVITES_FAILED_REDEEM_*).
   */
  @Post('redeem')
  @UserOrApiKey('invites.redeem')
  @HttpCode(200)
  async redeem(
    @Body() body: RedeemDto,
    @CurrentPrincipal() principal: Principal,
    @Ip() address: string,
  ): Promise<RedeemResponseDto> {
    let member: string;
    if (principal.kind === 'user') {
      const own = principal.user.discordId;
      if (!own) throw DiscordAccountRequired();
      if (body.discord_user_id !== undefined && body.discord_user_id !== own)
        throw RedeemForOthers();
      member = own;
    } else {
      if (!body.discord_user_id)
        throw new ValidationFailed([
          { field: 'discord_user_id', message: 'discord_user_id is required with an API key' },
        ]);
      member = body.discord_user_id;
    }
    const r = await this.guesses.guard(
      {
        apiKeyId: principal.kind === 'api_key' ? principal.keyId : undefined,
        discordUserId: member,
        address,
      },
      () => this.invites.redeem(body.code, member),
    );
    return {
      success: true,
      code: r.code,
      cohort: r.cohort,
      discord_role_id: r.discordRoleId,
      discord_user_id: r.discordUserId,
      remaining_uses: r.remainingUses,
      redeemed_at: r.redeemedAt.toISOString(),
    };
  }

  /** Stops a code from being redeemed; its history stays. */
  @Post(':code/disable')
  @RequirePermission('invites.write')
  @HttpCode(200)
  async disable(@Param('code') code: string): Promise<InviteDto> {
    return toDto(await this.invites.disable(code));
  }

  /** Deletes a code nobody has redeemed (409 otherwise: disable it). */
  @Delete(':code')
  @RequirePermission('invites.write')
  async delete(@Param('code') code: string): Promise<{ success: true; message: string }> {
    await this.invites.delete(code);
    return { success: true, message: 'Invite code deleted' };
  }
}

function toDto(invite: InviteCode): InviteDto {
  return {
    code: invite.code,
    cohort: invite.cohort,
    max_uses: invite.maxUses,
    used_count: invite.usedCount,
    remaining: Math.max(0, invite.maxUses - invite.usedCount),
    line_number: invite.id,
    state: stateOf(invite),
    source: invite.source,
    email: invite.email,
    name: invite.name,
    expires_at: invite.expiresAt?.toISOString() ?? null,
    disabled_at: invite.disabledAt?.toISOString() ?? null,
    created_at: invite.createdAt.toISOString(),
  };
}
