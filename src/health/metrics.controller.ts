import {
  Controller,
  Get,
  Header,
  Headers,
  HttpStatus,
  NotFoundException,
  Res,
} from '@nestjs/common';
import { ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../core/errors';
import { AppConfig } from '../core/env';
import { Metrics, metricsAllowed } from '../core/metrics';

/** Prometheus metrics; with METRICS_PORT they are served on that port instead (404 here). */
@ApiTags('health')
@SkipThrottle()
@Controller()
export class MetricsController {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * The instance's metrics in Prometheus' text format: HTTP requests by route template, Socket.IO,
   * outbox, Discord, database, logins and rate limits, and the process. With METRICS_TOKEN set the
   * scraper sends it as a bearer token.
   */
  @Get('metrics')
  @Public()
  @ApiProduces('text/plain')
  @ApiResponse({ status: HttpStatus.OK, description: 'Prometheus text format', type: String })
  @ApiResponse({ status: HttpStatus.UNAUTHORIZED, description: 'METRICS_TOKEN missing or wrong' })
  @Header('Cache-Control', 'no-store')
  async scrape(
    @Res({ passthrough: true }) res: Response,
    @Headers('authorization') authorization?: string,
  ): Promise<string> {
    if (this.config.metrics.port !== undefined) throw new NotFoundException();
    if (!metricsAllowed(this.config.metrics.token, authorization))
      throw new DomainError('METRICS_TOKEN_REQUIRED', 401, 'Send METRICS_TOKEN as a bearer token');
    const body = await this.metrics.scrape();
    // Set on success only: an error is answered as JSON.
    res.setHeader('Content-Type', this.metrics.contentType);
    return body;
  }
}
