import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, namedActorOf, RequirePermission } from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import { type CogState, CogsService } from './cogs.service';
import {
  CogActionDto,
  CogDto,
  CogListDto,
  CogLogsDto,
  CogLogsQueryDto,
  CogNameDto,
} from './dto/cogs.dto';
import { LogsService } from './logs.service';

type Action = 'load' | 'unload' | 'reload';

const UNKNOWN = ApiNotFoundResponse({ description: "Cog '<name>' not found (COG_NOT_FOUND)" });
const WRONG_STATE = ApiBadRequestResponse({
  description:
    'Already loaded, not loaded, or CogManager (COG_ALREADY_LOADED, COG_NOT_LOADED, COG_PROTECTED)',
});
const API_SERVER = ApiForbiddenResponse({
  description: 'APIServer cannot be unloaded (COG_PROTECTED), or the caller lacks cogs.manage',
});
const DONE: Record<Action, string> = { load: 'loaded', unload: 'unloaded', reload: 'reloaded' };

/** The cog manager (contract §2.6): the app's `/cogs/{name}/…` routes and the API document's body form. */
@ApiTags('cogs')
@RequirePermission('cogs.manage')
@Controller('api/cogs')
export class CogsController {
  constructor(
    private readonly cogs: CogsService,
    private readonly logs: LogsService,
  ) {}

  /** Every cog, by category then name. */
  @Get()
  list(): CogListDto {
    const cogs = this.cogs.list().map(cogView);
    return {
      success: true,
      cogs,
      total: cogs.length,
      loaded_count: cogs.filter((cog) => cog.status === 'loaded').length,
      disabled_count: cogs.filter((cog) => cog.status === 'disabled').length,
    };
  }

  @Post('load')
  @UNKNOWN
  @WRONG_STATE
  @HttpCode(200)
  loadByBody(
    @Body() body: CogNameDto,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<CogActionDto> {
    return this.act('load', body.cog_name, principal);
  }

  /** CogManager cannot be unloaded (400), nor APIServer (403). */
  @Post('unload')
  @UNKNOWN
  @WRONG_STATE
  @API_SERVER
  @HttpCode(200)
  unloadByBody(
    @Body() body: CogNameDto,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<CogActionDto> {
    return this.act('unload', body.cog_name, principal);
  }

  @Post('reload')
  @UNKNOWN
  @WRONG_STATE
  @HttpCode(200)
  reloadByBody(
    @Body() body: CogNameDto,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<CogActionDto> {
    return this.act('reload', body.cog_name, principal);
  }

  @Post(':name/load')
  @UNKNOWN
  @WRONG_STATE
  @HttpCode(200)
  load(
    @Param('name') name: string,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<CogActionDto> {
    return this.act('load', name, principal);
  }

  /** CogManager cannot be unloaded (400), nor APIServer (403). */
  @Post(':name/unload')
  @UNKNOWN
  @WRONG_STATE
  @API_SERVER
  @HttpCode(200)
  unload(
    @Param('name') name: string,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<CogActionDto> {
    return this.act('unload', name, principal);
  }

  /** Restarts the cog's timers and re-reads its settings; CogManager cannot be reloaded. */
  @Post(':name/reload')
  @UNKNOWN
  @WRONG_STATE
  @HttpCode(200)
  reload(
    @Param('name') name: string,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<CogActionDto> {
    return this.act('reload', name, principal);
  }

  /** The cog's latest log lines (`limit`, default 100), oldest first. */
  @Get(':name/logs')
  @UNKNOWN
  async cogLogs(@Param('name') name: string, @Query() query: CogLogsQueryDto): Promise<CogLogsDto> {
    const cog = this.cogs.find(name);
    const { logs } = await this.logs.query({ limit: query.limit ?? 100, cog: cog.name });
    return {
      success: true,
      cog: cog.name,
      logs: logs.map(({ timestamp, level, cog: owner, message }) => ({
        timestamp,
        level,
        cog: owner,
        message,
      })),
      count: logs.length,
    };
  }

  private async act(action: Action, name: string, principal: UserPrincipal): Promise<CogActionDto> {
    const cog = await this.cogs[action](name, namedActorOf(principal));
    return {
      success: true,
      message: `Cog '${cog.name}' ${DONE[action]} successfully`,
      cog: { name: cog.name, file_name: cog.file_name, status: cog.status },
    };
  }
}

function cogView(cog: CogState): CogDto {
  const loaded = cog.status === 'loaded';
  const manager = cog.name === 'CogManager';
  return {
    name: cog.name,
    file_name: cog.file_name,
    status: cog.status,
    loaded,
    description: cog.description,
    icon: cog.icon,
    category: cog.category,
    features: cog.features,
    can_load: !loaded,
    can_unload: loaded && !manager && cog.name !== 'APIServer',
    can_reload: loaded && !manager,
    can_view_logs: loaded,
    error_message: null,
  };
}
