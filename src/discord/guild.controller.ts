import { Controller, Get } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators';
import { GuildChannelDto, GuildRoleDto } from './dto/guild.dto';
import { GuildService } from './guild.service';

/** Guild lookups for the app's configuration pickers, from the bot's cache. */
@ApiTags('guild')
@Authenticated()
@ApiServiceUnavailableResponse({ description: 'Bot not initialized' })
@Controller('api/guild')
export class GuildController {
  constructor(private readonly guild: GuildService) {}

  /** Text channels and categories (a top-level array). */
  @Get('channels')
  channels(): GuildChannelDto[] {
    return this.guild.channels();
  }

  /** Roles except @everyone, highest first (a top-level array). */
  @Get('roles')
  roles(): GuildRoleDto[] {
    return this.guild.roles();
  }
}
