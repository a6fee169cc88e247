import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators';
import { DASHBOARD_HTML, DASHBOARD_JS } from './dashboard';

/** Chart.js's browser build, from the installed package (no CDN), read once when first asked. */
let chartJs: string | undefined;
function chartScript(): string {
  chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

@ApiTags('analytics')
@SkipThrottle()
@Controller('analytics')
export class DashboardController {
  /** The analytics dashboard; staff sign in on the page. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  page(): string {
    return DASHBOARD_HTML;
  }

  @Get('app.js')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return DASHBOARD_JS;
  }

  @Get('chart.js')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  chart(): string {
    return chartScript();
  }
}
