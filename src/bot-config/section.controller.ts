import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Post,
  Put,
  Res,
  type Type,
} from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  Authenticated,
  CurrentPrincipal,
  namedActorOf,
  RequirePermission,
} from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import { createValidationPipe } from '../core/errors';
import { BotConfigService } from './bot-config.service';
import { BotSettings } from './bot-settings';
import { ConfigSavedDto } from './dto/responses.dto';
import type { SectionName } from './sections';

export interface SectionRoutes {
  /** The section's shape, answered by GET. */
  view: Type;
  /** The PUT body: any subset of the section's keys. */
  update: Type;
  /** How the app's messages name it: "<title> configuration updated". */
  title: string;
  /** Whether the app has a `POST …/reset` for it. */
  reset: boolean;
  /** GET for any signed-in user (the tickets section: the new-ticket form reads it). */
  readByAnyone?: boolean;
  /** More about the PUT, for OpenAPI. */
  putNote?: string;
}

/**
 * The routes of one configuration section under `/api/config/<name>`: GET (with an `ETag`,
 * honouring `If-None-Match`), PUT (only the keys sent; a stale `If-Match` is 412; the app sends
 * none, so it always writes) and, where the app has it, POST reset (this section only).
 */
export function sectionController(name: SectionName, routes: SectionRoutes): Type {
  const Read = routes.readByAnyone ? Authenticated() : RequirePermission('config.read');

  @ApiTags('config')
  class SectionController {
    constructor(
      readonly settings: BotSettings,
      readonly service: BotConfigService,
    ) {}

    @Get()
    @Read
    @ApiOperation({ summary: `The ${name} section` })
    @ApiOkResponse({ type: routes.view })
    read(@Res({ passthrough: true }) res: Response): unknown {
      res.setHeader('ETag', this.settings.etag(name));
      return this.settings.get(name);
    }

    @Put()
    @RequirePermission('config.write')
    @ApiOperation({ summary: `Change keys of the ${name} section`, description: routes.putNote })
    @ApiBody({ type: routes.update })
    @ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'The ETag of the GET this change is based on; 412 when the section changed since',
    })
    @ApiPreconditionFailedResponse({ description: 'The section changed since it was read' })
    async write(
      @Body(createValidationPipe({ expectedType: routes.update })) body: object,
      @CurrentPrincipal() principal: UserPrincipal,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) res: Response,
    ): Promise<ConfigSavedDto> {
      const saved = await this.service.update(name, body, namedActorOf(principal), ifMatch);
      res.setHeader('ETag', saved.etag);
      const message = `${routes.title} configuration updated`;
      return { success: true, message, config: saved.value, changed: saved.changed };
    }
  }

  class WithReset extends SectionController {
    @Post('reset')
    @RequirePermission('config.write')
    @HttpCode(200)
    @ApiOperation({ summary: `Restore the ${name} section's defaults (only this section)` })
    @ApiOkResponse({ type: ConfigSavedDto })
    async reset(
      @CurrentPrincipal() principal: UserPrincipal,
      @Res({ passthrough: true }) res: Response,
    ): Promise<ConfigSavedDto> {
      const saved = await this.service.reset(name, namedActorOf(principal));
      res.setHeader('ETag', saved.etag);
      const message = `${routes.title} configuration reset to defaults`;
      return { success: true, message, config: saved.value, changed: saved.changed };
    }
  }

  const controller = routes.reset ? WithReset : SectionController;
  // OpenAPI names operations after the class: one name per section.
  const className = `${name.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())}ConfigController`;
  Object.defineProperty(controller, 'name', { value: className });
  Controller(`api/config/${name}`)(controller);
  return controller;
}
