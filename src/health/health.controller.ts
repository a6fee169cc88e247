import { Controller, Get, HttpStatus, Query, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { CurrentPrincipal, OptionalAuth, Public } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { roleClaim } from '../auth/permissions';
import { AppConfig } from '../core/env';
import {
  ApiHealthDto,
  BuildCrewHealthDto,
  HealthQueryDto,
  PingDto,
  ReadinessDto,
} from './dto/health.dto';
import { HealthService } from './health.service';
import { SingletonLease } from '../core/lease';

/** Liveness and readiness, public, in the shapes both original APIs answered with. */
@ApiTags('health')
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly config: AppConfig,
    private readonly lease: SingletonLease,
  ) {}

  /** Build Crew API health check. */
  @Get('health')
  @Public()
  buildCrewHealth(): BuildCrewHealthDto {
    return {
      status: 'healthy',
      service: 'Build Crew Bot API',
      timestamp: new Date().toISOString(),
    };
  }

  /** HazeBot API health check; `detailed=true` adds checks and answers 503 when degraded. */
  @Get('api/health')
  @Public()
  @ApiResponse({
    status: HttpStatus.SERVICE_UNAVAILABLE,
    type: ApiHealthDto,
    description: 'Degraded or unhealthy',
  })
  async apiHealth(
    @Query() query: HealthQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApiHealthDto> {
    const body: ApiHealthDto = {
      status: 'ok',
      timestamp: new Date().toISOString(),
      service: 'HazeBot API',
      version: this.config.app.version,
      environment: this.config.app.environment,
      instance: this.lease.instanceId,
      owner: this.lease.owner,
    };
    if (query.detailed !== 'true' && query.detailed !== 'True' && query.detailed !== '1')
      return body;
    const { status, checks } = await this.health.detailed();
    if (status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { ...body, status, checks };
  }

  /**
   * Cheap round trip. Without a token it just answers; with one it must be valid (the app deletes a
   * stored token whose ping fails) and the answer says who the caller is.
   */
  @Get('api/ping')
  @OptionalAuth()
  ping(@CurrentPrincipal() principal?: Principal): PingDto {
    const body: PingDto = { success: true, message: 'pong', timestamp: new Date().toISOString() };
    if (principal?.kind === 'user') {
      body.your_username = principal.user.username;
      body.your_role = roleClaim(principal.user.role);
      body.your_session_id = principal.claims.session_id;
      body.your_permissions = principal.claims.permissions;
    }
    return body;
  }

  /** Readiness for load balancers and orchestrators: 200 when the database answers, else 503. */
  @Get('api/health/ready')
  @Public()
  @ApiResponse({
    status: HttpStatus.SERVICE_UNAVAILABLE,
    type: ReadinessDto,
    description: 'Not ready',
  })
  async readiness(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const { ready, checks } = await this.health.readiness();
    if (!ready) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'not_ready', checks, timestamp: new Date().toISOString() };
  }
}
