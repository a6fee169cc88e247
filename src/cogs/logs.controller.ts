import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/auth.decorators';
import { LogCogsDto, LogsDto, LogsQueryDto } from './dto/cogs.dto';
import { LogsService } from './logs.service';

/**
 * The bot's log for the app's logs screen (contract §2.10): the latest LOG_RING_SIZE lines, from
 * every instance when Redis is configured, with secrets censored as in the log itself.
 */
@ApiTags('logs')
@RequirePermission('logs.read')
@Controller('api/logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  /** The last `limit` lines (default 500) that match every filter given, oldest first. */
  @Get()
  async list(@Query() query: LogsQueryDto): Promise<LogsDto> {
    const limit = Math.min(query.limit ?? 500, this.logs.maxLines);
    const { total, logs } = await this.logs.query({ ...query, limit });
    return {
      total,
      limit,
      // Absent filters are "" rather than null: the app casts the fields it reads.
      filters: {
        cog: query.cog ?? '',
        level: query.level?.toUpperCase() ?? '',
        search: query.search ?? '',
      },
      logs: logs.map(({ timestamp, level, message, cog, raw }) => ({
        timestamp,
        level,
        message,
        cog,
        raw,
      })),
      available_cogs: this.logs.loadedCogs(),
    };
  }

  /** The loaded cogs' names. */
  @Get('cogs')
  cogs(): LogCogsDto {
    return { cogs: this.logs.loadedCogs() };
  }
}
