import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CogDto {
  /** @example "TicketSystem" */
  name!: string;
  file_name!: string;
  /** `loaded` or `disabled` (unloaded by an admin). */
  status!: string;
  /** The HazeBot API document's form of `status`. */
  loaded!: boolean;
  description!: string;
  /** A Material icon name. @example "confirmation_number" */
  icon!: string;
  category!: string;
  features!: string[];
  can_load!: boolean;
  can_unload!: boolean;
  can_reload!: boolean;
  can_view_logs!: boolean;
  error_message!: string | null;
}

export class CogListDto {
  success!: true;
  cogs!: CogDto[];
  total!: number;
  loaded_count!: number;
  disabled_count!: number;
}

export class CogActionCogDto {
  name!: string;
  file_name!: string;
  status!: string;
}

export class CogActionDto {
  success!: true;
  /** @example "Cog 'Welcome' unloaded successfully" */
  message!: string;
  cog!: CogActionCogDto;
}

/** The HazeBot API document's form: the cog's name in the body. */
export class CogNameDto {
  /** @example "Welcome" */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  cog_name!: string;
}

export class CogLogsQueryDto {
  /** 1 to the ring's size (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit?: number;
}

export class CogLogEntryDto {
  timestamp!: string;
  level!: string;
  cog!: string;
  message!: string;
}

export class CogLogsDto {
  success!: true;
  cog!: string;
  logs!: CogLogEntryDto[];
  count!: number;
}

export class LogsQueryDto {
  /** 1 to the ring's size (default 500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit?: number;

  /** Lines of this cog (or mentioning it). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cog?: string;

  /** DEBUG, INFO, WARNING, ERROR or CRITICAL (any case). */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  level?: string;

  /** Text the line contains (any case). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

/** The filters applied; "" for one not given. */
export class LogFiltersDto {
  cog!: string;
  level!: string;
  search!: string;
}

export class LogLineDto {
  /** ISO 8601, UTC. */
  timestamp!: string;
  level!: string;
  message!: string;
  cog!: string;
  /** The line as logged (JSON), secrets censored. */
  raw!: string;
}

export class LogsDto {
  /** Lines that passed the filters (before `limit`). */
  total!: number;
  limit!: number;
  filters!: LogFiltersDto;
  logs!: LogLineDto[];
  available_cogs!: string[];
}

export class LogCogsDto {
  cogs!: string[];
}
