import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** `GET /health`, the Build Crew API's shape. */
export class BuildCrewHealthDto {
  /** @example "healthy" */
  status!: 'healthy';
  /** @example "Build Crew Bot API" */
  service!: string;
  /** ISO-8601 time of the answer. @example "2024-11-05T10:30:00.000Z" */
  timestamp!: string;
}

/** One entry of `checks` in `GET /api/health?detailed=true`. */
export class HealthCheckDto {
  /** `ok`, `warning` or `error`. */
  @ApiProperty({ enum: ['ok', 'warning', 'error'] })
  status!: 'ok' | 'warning' | 'error';
  /** What the check measured (percentages, latency, backend, ...). */
  [detail: string]: unknown;
}

/** `GET /api/health`, the HazeBot API's shape. */
export class ApiHealthDto {
  /** `ok`; with `detailed=true` also `degraded` or `unhealthy` (then the status code is 503). */
  @ApiProperty({ enum: ['ok', 'degraded', 'unhealthy'] })
  status!: 'ok' | 'degraded' | 'unhealthy';
  /** ISO-8601 time of the answer. */
  timestamp!: string;
  /** @example "HazeBot API" */
  service!: string;
  /** @example "1.0.0" */
  version!: string;
  /** @example "production" */
  environment!: string;
  /** The instance that answered (INSTANCE_ID, or host:pid). @example "guildhall-a:41" */
  instance!: string;
  /**
   * The instance that owns the Discord gateway and the scheduled jobs, as last seen (every
   * LEASE_TTL_MS / 3); null when none does. @example "guildhall-a:41"
   */
  @ApiProperty({ type: String, nullable: true })
  owner!: string | null;
  /** Present with `detailed=true`: memory, cpu, disk, database, cache and any module checks. */
  checks?: Record<string, HealthCheckDto>;
}

export class PingDto {
  success!: true;
  /** @example "pong" */
  message!: string;
  timestamp!: string;
  /** With a token: who the caller is. */
  your_username?: string;
  your_role?: string;
  your_session_id?: string;
  your_permissions?: string[];
}

export class ReadinessDto {
  /** `ready`, or `not_ready` with status 503. */
  @ApiProperty({ enum: ['ready', 'not_ready'] })
  status!: 'ready' | 'not_ready';
  checks!: Record<string, HealthCheckDto>;
  timestamp!: string;
}

export class HealthQueryDto {
  /** `true` adds system and dependency checks. */
  @IsOptional()
  @IsIn(['true', 'false', 'True', 'False', '1', '0'])
  detailed?: string;
}
