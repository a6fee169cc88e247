import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  Matches,
  IsNumber,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsDiscordId } from '../../core/validation';
import { IsDiscordIdList, IsDiscordIdMap, IsStringMap } from './fields';

/*
 * One class per configuration section, with the fields, types and limits of the HazeBot app's
 * screens (contract §2.5). GET answers the whole class; PUT takes any subset of its keys (see
 * update.dto.ts). Discord ids go out as strings and come in as strings or JSON numbers.
 */

export class StatusDashboardDto {
  /** @example 5 */
  @IsInt()
  @Min(1, { message: 'update_interval_minutes must be between 1 and 60' })
  @Max(60, { message: 'update_interval_minutes must be between 1 and 60' })
  update_interval_minutes!: number;

  @IsBoolean()
  show_monitoring!: boolean;
}

export class GeneralSectionDto {
  /** The bot's name, shown in its presence. @example "Haze World Bot" */
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  bot_name!: string;

  /** @example "!" */
  @IsString()
  @MinLength(1)
  @MaxLength(5)
  command_prefix!: string;

  /** Seconds between presence updates (5 to 86400; Discord limits how often a bot may change it). @example 3600 */
  @IsInt()
  @Min(5)
  @Max(86_400)
  presence_update_interval!: number;

  /** Seconds between a member's messages. @example 5 */
  @IsInt()
  @Min(0)
  @Max(3600)
  message_cooldown!: number;

  /** 0 to 1. @example 0.6 */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  fuzzy_matching_threshold!: number;

  /** Embed colour, RGB without alpha. @example 11342935 */
  @IsInt()
  @Min(0)
  @Max(0xffffff)
  pink_color!: number;

  /** @example "Powered by Haze World 💖" */
  @IsString()
  @MaxLength(2048)
  embed_footer_text!: string;

  /** Display names of the roles, e.g. `{"user": "🎒 Lootling"}`; replaced whole. */
  @IsStringMap(100)
  role_names!: Record<string, string>;

  @ValidateNested()
  @Type(() => StatusDashboardDto)
  status_dashboard!: StatusDashboardDto;
}

/** A channel picker: a Discord id, or null when unset. */
const Channel = () => IsDiscordId();

export class ChannelsSectionDto {
  @Channel() log_channel_id!: string | null;
  @Channel() changelog_channel_id!: string | null;
  @Channel() todo_channel_id!: string | null;
  /** Where Rocket League promotions are posted. */
  @Channel() rl_channel_id!: string | null;
  @Channel() gaming_channel_id!: string | null;
  @Channel() meme_channel_id!: string | null;
  @Channel() server_guide_channel_id!: string | null;
  @Channel() welcome_rules_channel_id!: string | null;
  /** Where the bot welcomes new members. */
  @Channel() welcome_public_channel_id!: string | null;
  /** Where transcripts of closed tickets are posted. */
  @Channel() transcript_channel_id!: string | null;
  /** The category ticket channels are created under. */
  @Channel() tickets_category_id!: string | null;
  @Channel() status_channel_id!: string | null;
}

export class RolesSectionDto {
  /** Members with this role log in as admins. */
  @IsDiscordId() admin_role_id!: string | null;
  /** Members with this role log in as moderators. */
  @IsDiscordId() moderator_role_id!: string | null;
  @IsDiscordId() normal_role_id!: string | null;
  @IsDiscordId() member_role_id!: string | null;
  @IsDiscordId() changelog_role_id!: string | null;
  @IsDiscordId() meme_role_id!: string | null;
  @IsDiscordIdList() interest_role_ids!: string[];
  /** Interest names to role ids. */
  @IsDiscordIdMap() interest_roles!: Record<string, string>;
}

const MEME_SOURCES = ['reddit', 'lemmy'] as const;

export class MemeSectionDto {
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  default_subreddits!: string[];

  /** Lemmy communities as `instance@community`. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  default_lemmy!: string[];

  @IsArray()
  @IsIn(MEME_SOURCES, { each: true })
  meme_sources!: string[];

  /** Seconds. @example 86400 */
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  templates_cache_duration!: number;

  /** Post a meme to the meme channel every day. */
  @IsBoolean()
  daily_enabled!: boolean;

  /** When, UTC, as `HH:MM`. @example "10:00" */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'daily_time must be HH:MM (UTC)' })
  daily_time!: string;

  /** The daily meme's minimum score. @example 100 */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  daily_min_score!: number;

  /** Let the daily meme be NSFW. */
  @IsBoolean()
  daily_allow_nsfw!: boolean;

  /** How many random sources the daily meme reads. @example 5 */
  @IsInt()
  @Min(1)
  @Max(20)
  daily_max_sources!: number;

  /** The daily meme is picked from this many of the best posts. @example 50 */
  @IsInt()
  @Min(1)
  @Max(500)
  daily_pool_size!: number;

  /** The subreddits the daily meme may use; `null` for all of `subreddits`, `[]` for none. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  daily_subreddits!: string[] | null;

  /** The Lemmy communities the daily meme may use; `null` for all of `lemmy_communities`. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  daily_lemmy!: string[] | null;

  /** The daily meme's subreddits (the defaults until set). */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  subreddits!: string[];

  /** The daily meme's Lemmy communities (the defaults until set). */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  lemmy_communities!: string[];
}

export class RocketLeagueSectionDto {
  /** @example 3 */
  @IsInt()
  @Min(1)
  @Max(168)
  rank_check_interval_hours!: number;

  /** @example 10500 */
  @IsInt()
  @Min(60)
  @Max(604_800)
  rank_cache_ttl_seconds!: number;
}

/** A list of message templates a random one is picked from. */
const Templates = (): PropertyDecorator => (target, key) => {
  IsArray()(target, key);
  ArrayMinSize(1)(target, key);
  ArrayMaxSize(100)(target, key);
  IsString({ each: true })(target, key);
  MaxLength(2000, { each: true })(target, key);
};

export class WelcomeSectionDto {
  @IsString()
  @MaxLength(4000)
  rules_text!: string;

  /** Posted when a member joins; `{name}` is their name. */
  @Templates()
  welcome_messages!: string[];
}

export class WelcomeTextsSectionDto {
  /** `{user}` and `{new_member}` are mentions. */
  @Templates()
  welcome_button_replies!: string[];
}

export class PromotionConfigDto {
  @IsString() @MaxLength(2000) notification_prefix!: string;
  @IsString() @MaxLength(256) embed_title!: string;
  @IsString() @MaxLength(4000) embed_description!: string;
}

export class RocketLeagueTextsSectionDto {
  @ValidateNested()
  @Type(() => PromotionConfigDto)
  promotion_config!: PromotionConfigDto;

  /** `{user}` and `{ranked_user}` are mentions. */
  @Templates()
  congrats_replies!: string[];
}

export class GuideFieldDto {
  @IsString() @MinLength(1) @MaxLength(256) name!: string;
  @IsString() @MinLength(1) @MaxLength(1024) value!: string;
  @IsBoolean() inline!: boolean;
}

export class ServerGuideSectionDto {
  @IsString()
  @MaxLength(256)
  title!: string;

  /** An https URL, or "" for none. */
  @ValidateIf((_, value) => value !== '')
  @IsUrl({ protocols: ['https'], require_protocol: true })
  banner_url!: string;

  @IsArray()
  @ArrayMaxSize(25)
  @ValidateNested({ each: true })
  @Type(() => GuideFieldDto)
  fields!: GuideFieldDto[];

  /** `{guild_name}` is the server's name. */
  @IsString()
  @MaxLength(2048)
  footer_template!: string;

  /** The guide's contents, listed at its top (the HazeBot API document's field). */
  @IsArray()
  @ArrayMaxSize(25)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  categories!: string[];
}

export class TicketsSectionDto {
  /** The ticket types members may open. @example ["Application","Bug","Support"] */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(25)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(40, { each: true })
  categories!: string[];

  /** Closed tickets are deleted this many days after closing; null keeps them. @example 7 */
  @IsInt()
  @Min(0)
  @Max(3650)
  auto_delete_after_close_days!: number | null;

  /** Staff must claim a ticket before writing in it. */
  @IsBoolean()
  require_claim!: boolean;

  /** E-mail the transcript of a closed ticket to `transcript_email_address`. */
  @IsBoolean()
  send_transcript_email!: boolean;

  @ValidateIf((_, value) => value !== '')
  @IsEmail()
  transcript_email_address!: string;

  /** Members may open tickets (staff always may). */
  @IsBoolean()
  enabled!: boolean;

  /** Open tickets one member may have at once; 0 is no limit. */
  @IsInt()
  @Min(0)
  @Max(100)
  max_open_per_user!: number;

  /** Open tickets without activity for this many hours are closed; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(87_600)
  auto_close_hours!: number;

  /** Post the transcript of a closed ticket to the transcript channel. */
  @IsBoolean()
  transcript_enabled!: boolean;
}

/** Not a route of its own: the cogs an admin unloaded, kept with the other settings (see cogs/). */
export class CogsSectionDto {
  @IsArray()
  @IsString({ each: true })
  disabled!: string[];
}
