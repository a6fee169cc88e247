import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RlStatsDto {
  username!: string;
  /** Upper case, e.g. `STEAM`. */
  platform!: string;
  rank!: string;
  season_reward!: string;
  rank_1v1!: string;
  rank_2v2!: string;
  rank_3v3!: string;
  rank_4v4!: string;
  highest_icon_url!: string | null;
  tier_names!: Record<string, string>;
  rank_display!: Record<string, string>;
  icon_urls!: Record<string, string>;
}

export class SeedRankDto {
  tier!: string;
  division!: string;
}

export class RlStatsResponseDto {
  success!: true;
  stats!: RlStatsDto;
  /** The HazeBot API document's fields. */
  username!: string;
  platform!: string;
  ranks!: Record<string, SeedRankDto>;
  /** Served from the cache (`rocket_league.rank_cache_ttl_seconds`). */
  cached!: boolean;
}

export class LinkRlDto {
  /** steam, epic, psn, xbl or switch. */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  platform?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  username?: string;
}

export class RlAccountViewDto {
  platform!: string;
  username!: string;
  ranks!: Record<string, string>;
  rank_display!: Record<string, string>;
  icon_urls!: Record<string, string>;
  last_fetched!: string | null;
}

export class UserRlAccountDto {
  linked!: boolean;
  account?: RlAccountViewDto;
}

export class RlLinkedDto {
  success!: true;
  message!: string;
  account!: RlAccountViewDto;
}

export class RlMessageDto {
  success!: true;
  message!: string;
}

export class RlPostedDto {
  success!: true;
  /** @example "Stats posted successfully" */
  message!: string;
  /** `sent`, or `queued` when Discord failed and the outbox retries. */
  status!: string;
  message_id!: string | null;
}

export class RlCheckDto {
  success!: true;
  /** `Rank check completed successfully`, or `Rank check started` when it takes longer. */
  message!: string;
  note!: string;
}

export class RlAdminAccountDto {
  user_id!: string;
  username!: string;
  display_name!: string;
  avatar_url!: string | null;
  platform!: string;
  rl_username!: string;
  ranks!: Record<string, string>;
  rank_display!: Record<string, string>;
  icon_urls!: Record<string, string>;
  last_fetched!: string | null;
}
