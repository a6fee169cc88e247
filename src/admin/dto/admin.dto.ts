import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class AdminStatsDto {
  /** Seconds since the bot connected to Discord; 0 without a bot. @example 86400 */
  bot_uptime!: number;
  total_guilds!: number;
  total_members!: number;
  total_tickets!: number;
  /** Tickets not closed (open or claimed). */
  open_tickets!: number;
}

export const PRIORITIES = ['low', 'normal', 'high'] as const;

export class BroadcastRequestDto {
  /** @example "Announcement" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  /** @example "Important update" */
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  message!: string;

  /** `low`, `normal` (default) or `high`. */
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: (typeof PRIORITIES)[number];
}

export class BroadcastDto {
  id!: string;
  title!: string;
  message!: string;
  priority!: string;
  sent_by!: string;
  /** ISO 8601, UTC. */
  created_at!: string;
}

export class BroadcastSentDto {
  success!: true;
  message!: string;
  broadcast!: BroadcastDto;
  /** Whether connected sockets were told (false when no socket server runs). */
  delivered_to_sockets!: boolean;
}

export class GamingMemberDto {
  /** Discord id: the value the assign dialog sends as `assigned_to`. */
  id!: string;
  username!: string;
  name!: string;
  display_name!: string;
  avatar_url!: string | null;
  /** `online`, `idle`, `dnd` or `offline`. */
  status!: string;
  activity!: string | null;
  /** Whether the member has signed in to the app. */
  using_app!: boolean;
}

export class GamingMembersDto {
  members!: GamingMemberDto[];
  total!: number;
  app_users_count!: number;
}

export class ProfileNotificationsDto {
  changelog_opt_in!: boolean;
  meme_opt_in!: boolean;
}

export class ProfileDto {
  /** Null for password users. */
  discord_id!: string | null;
  username!: string;
  display_name!: string;
  avatar_url!: string | null;
  /** `admin`, `mod` or `lootling`. */
  role!: string;
  notifications!: ProfileNotificationsDto;
}

export class ProfileResponseDto {
  success!: true;
  profile!: ProfileDto;
}
