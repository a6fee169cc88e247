import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, RequirePermission } from '../auth/auth.decorators';
import { AppConfig } from '../core/env';
import { BotConfigService } from './bot-config.service';
import { BotSettings } from './bot-settings';
import { configOverview } from './config-overview';
import { ConfigAuditListDto, ConfigAuditQueryDto, ConfigOverviewDto } from './dto/responses.dto';

/**
 * The whole configuration in the app's shape and the audit log; each section has its own routes
 * (section-controllers.ts).
 */
@ApiTags('config')
@Controller('api/config')
export class BotConfigController {
  constructor(
    private readonly settings: BotSettings,
    private readonly service: BotConfigService,
    private readonly config: AppConfig,
  ) {}

  /** Every section in the app's shape (any signed-in user, as in HazeBot). */
  @Get()
  @Authenticated()
  overview(@Res({ passthrough: true }) res: Response): ConfigOverviewDto {
    const overview = configOverview(this.settings, {
      logLevel: this.config.log.level,
      guildId: this.config.discord.guildId,
      guildName: this.config.discord.serverName,
      prodMode: this.config.discord.prodMode,
    });
    res.setHeader('ETag', this.settings.etagOf(overview));
    return overview;
  }

  /** Changes to the configuration, newest first. */
  @Get('audit')
  @RequirePermission('config.read')
  audit(@Query() query: ConfigAuditQueryDto): Promise<ConfigAuditListDto> {
    return this.service.audit({
      section: query.section,
      limit: query.limit ?? 50,
      beforeId: query.before,
    });
  }
}
