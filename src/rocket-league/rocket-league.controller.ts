import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import { CogRoutes } from '../cogs/cog-feature';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import {
  LinkRlDto,
  RlAccountViewDto,
  RlAdminAccountDto,
  RlCheckDto,
  RlLinkedDto,
  RlMessageDto,
  RlPostedDto,
  RlStatsResponseDto,
  UserRlAccountDto,
} from './dto/rocket-league.dto';
import type { RlAccount } from './rl-account.entity';
import { RankCheck } from './rank-check.service';
import { RocketLeagueService } from './rocket-league.service';

const json = (text: string) => JSON.parse(text) as Record<string, string>;

function accountView(account: RlAccount): RlAccountViewDto {
  return {
    platform: account.platform,
    username: account.username,
    ranks: json(account.tierNames),
    rank_display: json(account.rankDisplay),
    icon_urls: json(account.iconUrls),
    last_fetched: account.lastFetched?.toISOString() ?? null,
  };
}

/** The app's Rocket League screens (contract §2.7) and the API document's stats route. */
@ApiTags('rocket-league')
@CogRoutes('RocketLeague')
@Controller('api')
export class RocketLeagueController {
  constructor(
    private readonly rl: RocketLeagueService,
    private readonly ranks: RankCheck,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks every linked account now, posting promotions. Answers within the app's 15 s: with the
   * outcome when the check is done within RANK_CHECK_ANSWER_MS, else `Rank check started` while it goes on.
   */
  @Post('rocket-league/check-ranks')
  @RequirePermission('rocket_league.manage')
  @HttpCode(200)
  async checkRanks(): Promise<RlCheckDto> {
    const run = this.ranks.run();
    const done = await Promise.race([
      run,
      new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), this.config.rocketLeague.checkAnswerMs).unref(),
      ),
    ]);
    if (!done) {
      void run.catch(() => undefined);
      return { success: true, message: 'Rank check started', note: 'It goes on in the background' };
    }
    return {
      success: true,
      message: 'Rank check completed successfully',
      note: `${done.checked} account(s) checked, ${done.promoted} promotion(s), ${done.failed} failed`,
    };
  }

  /** A player's ranks from the tracker, or from the cache. */
  @Get('rocket-league/stats/:platform/:username')
  @Authenticated()
  async stats(
    @Param('platform') platform: string,
    @Param('username') username: string,
  ): Promise<RlStatsResponseDto> {
    const { stats, cached } = await this.rl.stats(platform, username);
    const display: Record<string, string> = stats.rank_display;
    const ranks = Object.fromEntries(
      Object.entries(stats.tier_names).map(([playlist, tier]) => [
        playlist,
        { tier, division: display[playlist]?.replace(/^<a?:\w+:\d+>\s*/, '') ?? '' },
      ]),
    );
    return {
      success: true,
      stats,
      username: stats.username,
      platform: stats.platform.toLowerCase(),
      ranks,
      cached,
    };
  }

  /** Every linked account (a top-level array). */
  @Get('rocket-league/accounts')
  @RequirePermission('rocket_league.manage')
  @ApiOkResponse({ type: [RlAdminAccountDto] })
  async accounts(): Promise<RlAdminAccountDto[]> {
    return (await this.rl.accounts()).map(({ row, name, username, avatar }) => ({
      user_id: row.discordId,
      username,
      display_name: name,
      avatar_url: avatar,
      platform: row.platform,
      rl_username: row.username,
      ranks: json(row.tierNames),
      rank_display: json(row.rankDisplay),
      icon_urls: json(row.iconUrls),
      last_fetched: row.lastFetched?.toISOString() ?? null,
    }));
  }

  /** Unlinks a member's account; `user_id` is their Discord id. */
  @Delete('rocket-league/accounts/:userId')
  @RequirePermission('rocket_league.manage')
  async remove(@Param('userId') userId: string): Promise<RlMessageDto> {
    const account = await this.rl.remove(userId);
    return {
      success: true,
      message: `Successfully unlinked account for user ${userId} (RL: ${account.username})`,
    };
  }

  /** The caller's linked account; password users have none (400). */
  @Get('user/rocket-league/account')
  @Authenticated()
  async account(@CurrentPrincipal() principal: UserPrincipal): Promise<UserRlAccountDto> {
    const account = await this.rl.account(principal.user);
    return account ? { linked: true, account: accountView(account) } : { linked: false };
  }

  /** Links after the tracker has confirmed the player. */
  @Post('user/rocket-league/link')
  @Authenticated()
  @HttpCode(200)
  async link(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: LinkRlDto,
  ): Promise<RlLinkedDto> {
    if (!body.platform || !body.username?.trim())
      throw new DomainError('RL_LINK_INCOMPLETE', 400, 'Platform and username are required');
    const { account, stats } = await this.rl.link(
      principal.user,
      body.platform,
      body.username.trim(),
    );
    return {
      success: true,
      message: `Successfully linked Rocket League account: ${stats.username}`,
      account: accountView(account),
    };
  }

  @Delete('user/rocket-league/unlink')
  @Authenticated()
  async unlink(@CurrentPrincipal() principal: UserPrincipal): Promise<RlMessageDto> {
    const account = await this.rl.unlink(principal.user);
    return { success: true, message: `Unlinked Rocket League account ${account.username}` };
  }

  /** The caller's stats to the Rocket League channel; a failure is `{success: false, message}`. */
  @Post('user/rocket-league/post-stats')
  @Authenticated()
  @HttpCode(200)
  async postStats(@CurrentPrincipal() principal: UserPrincipal): Promise<RlPostedDto> {
    const { status, messageId } = await this.rl.postStats(principal.user);
    return { success: true, message: 'Stats posted successfully', status, message_id: messageId };
  }
}
