import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { SECTION_NAMES, type SectionName } from '../sections';

export class ConfigSavedDto {
  success!: true;
  /** @example "Channel configuration updated" */
  message!: string;
  /** The whole section after the change. */
  config!: object;
  /** The keys whose value changed. */
  changed!: string[];
}

export class ConfigAuditQueryDto {
  @IsOptional()
  @IsIn(SECTION_NAMES)
  @ApiProperty({ enum: SECTION_NAMES, required: false })
  section?: SectionName;

  /** 1 to 500 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** Entries older than this id (the `next_before` of the previous page). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
}

export class ConfigAuditActorDto {
  /** `user:<id>`. */
  id!: string;
  name!: string;
}

export class ConfigAuditEntryDto {
  id!: number;
  section!: string;
  /** `update` or `reset`. */
  action!: string;
  actor!: ConfigAuditActorDto;
  changed_keys!: string[];
  /** The changed keys' values before. */
  before!: object;
  /** The changed keys' values after. */
  after!: object;
  /** ISO 8601, UTC. */
  at!: string;
}

export class ConfigAuditListDto {
  entries!: ConfigAuditEntryDto[];
  count!: number;
  /** Pass as `before` for the next page; null on the last one. */
  next_before!: number | null;
}

/** `GET /api/config`: every section in the HazeBot app's shape (contract §2.5). */
export class ConfigOverviewDto {
  /** `bot_name`, `command_prefix`, `presence_update_interval`, `message_cooldown`, `fuzzy_matching_threshold`, `prod_mode`. */
  general!: object;
  /** `log_level` (20 = INFO) and `cog_log_levels`. */
  logging!: object;
  /** The guild and the single role ids as strings, `interest_role_ids`, `interest_roles`. */
  discord_ids!: object;
  /** The channel ids, except `gaming_channel_id`. */
  channels!: object;
  /** The roles section (the HazeBot API document's key). */
  roles!: object;
  rocket_league!: object;
  rocket_league_texts!: object;
  status_dashboard!: object;
  meme!: object;
  /** The daily meme job's settings; `{}` while the DailyMeme cog is not available. */
  daily_meme!: object;
  welcome!: object;
  welcome_texts!: object;
  server_guide!: object;
  role_names!: object;
  tickets!: object;
}
