import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class StatsQueryDto {
  /** The last N UTC days, today included (7, 30, 90 …); omit for all time. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  days?: number;
}

export class ExportQueryDto extends StatsQueryDto {
  /** `csv` (default) or `json`. */
  @IsOptional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';
}

export class DailyStatsDto {
  /** UTC day, `YYYY-MM-DD`. */
  day!: string;
  sessions!: number;
  unique_users!: number;
  new_users!: number;
  actions!: number;
  /** Seconds. */
  avg_session_duration!: number;
}

export class NamedCountDto {
  name!: string;
  count!: number;
}

export class HourCountDto {
  /** UTC hour, 0 to 23. */
  hour!: number;
  count!: number;
}

export class StatsDto {
  /** The range asked for; null for all time. */
  days!: number | null;
  total_users!: number;
  active_users_7d!: number;
  total_sessions!: number;
  /** Seconds. */
  avg_session_duration!: number;
  total_actions!: number;
  daily!: DailyStatsDto[];
  /** Sessions per platform. */
  platforms!: Record<string, number>;
  /** Sessions per app version. */
  app_versions!: Record<string, number>;
  top_endpoints!: NamedCountDto[];
  /** Client feature events by name. */
  top_features!: NamedCountDto[];
  peak_hours!: HourCountDto[];
}

export class SeedSessionDto {
  session_id!: string;
  user_id!: string;
  platform!: string;
  last_activity!: string;
  /** Seconds since the session's first action. */
  duration!: number;
}

export class SeedActiveSessionsDto {
  sessions!: SeedSessionDto[];
}

export class ActiveSessionDto {
  session_id!: string;
  username!: string;
  discord_id!: string;
  role!: string;
  permissions!: string[];
  last_seen!: string;
  seconds_ago!: number;
  ip!: string;
  user_agent!: string;
  /** The HazeBot endpoint name, e.g. `tickets.get_tickets`. */
  last_endpoint!: string;
  app_version!: string;
  platform!: string;
  device_info!: string;
  is_debug!: boolean;
  is_emulator!: boolean;
}

export class ActivityDetailsDto {
  path!: string;
}

export class ActivityDto {
  timestamp!: string;
  username!: string;
  discord_id!: string;
  /** The HTTP method. */
  action!: string;
  endpoint!: string;
  details!: ActivityDetailsDto;
  display_name!: string;
  avatar_url!: string;
}

export class AdminActiveSessionsDto {
  total_active!: number;
  sessions!: ActiveSessionDto[];
  recent_activity!: ActivityDto[];
  checked_at!: string;
}

export class ErrorGroupDto {
  signature!: string;
  type!: string;
  message!: string;
  route!: string;
  count!: number;
  first_seen!: string;
  last_seen!: string;
}

export class ErrorListDto {
  errors!: ErrorGroupDto[];
  total!: number;
}

export class ErrorsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ClientEventDto {
  /** The feature, e.g. `screen.tickets` or `button.refresh`. */
  @IsString()
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'name must be 1 to 100 letters, digits or . _ : / -' })
  name!: string;

  /** When it happened (ISO 8601); now when omitted. */
  @IsOptional()
  @IsDateString()
  at?: string;

  @IsOptional()
  @IsObject()
  props?: Record<string, unknown>;
}

export class ClientEventsDto {
  @IsArray()
  @ArrayMaxSize(100, { message: 'At most 100 events per request' })
  @ValidateNested({ each: true })
  @Type(() => ClientEventDto)
  events!: ClientEventDto[];
}

export class EventsAcceptedDto {
  success!: true;
  accepted!: number;
}

export class ResetDto {
  success!: true;
  message!: string;
}
