import { EventEmitter } from 'node:events';
import { Body, Controller, Get, HttpCode, Module, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import type { Request } from 'express';
import {
  ApiKeyAuth,
  CurrentPrincipal,
  Public,
  RequirePermission,
} from '../../src/auth/auth.decorators';
import type { Principal } from '../../src/auth/principal';
import { DomainError } from '../../src/core/errors';

class ProbeAddressDto {
  @IsEmail()
  email!: string;
}

export class ProbeEchoDto {
  @IsString()
  @MinLength(2)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(10)
  count!: number;

  @ValidateNested()
  @Type(() => ProbeAddressDto)
  address!: ProbeAddressDto;
}

export class ProbePartnerDto {
  @IsString()
  code!: string;
}

/** Emits `started` when a slow request has reached its handler. */
export const probeEvents = new EventEmitter();

/** Test-only routes that exercise the foundation (validation, body parsing, errors, shutdown). */
@ApiExcludeController()
@Public()
@Controller('__probe')
class ProbeController {
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: ProbeEchoDto): ProbeEchoDto {
    return body;
  }

  @Post('raw')
  @HttpCode(200)
  raw(@Req() req: Request): { body: unknown } {
    return { body: req.body as unknown };
  }

  @Get('slow')
  async slow(@Query('ms') ms = '200'): Promise<{ waited: number }> {
    probeEvents.emit('started');
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return { waited: Number(ms) };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail at /srv/guildhall/db.ts:42');
  }

  @Get('domain')
  domain(): never {
    throw new DomainError('WIDGET_MISSING', 404, 'Widget not found');
  }
}

/** Test-only routes behind the auth policies the real modules use. */
@ApiExcludeController()
@Controller('__probe/auth')
class AuthProbeController {
  @Post('partner')
  @ApiKeyAuth('invites.write')
  @HttpCode(200)
  partner(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ProbePartnerDto,
  ): { key: string; body: ProbePartnerDto } {
    return { key: principal.kind === 'api_key' ? principal.name : 'user', body };
  }

  @Get('tickets')
  @RequirePermission('tickets.read')
  tickets(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController, AuthProbeController] })
export class ProbeModule {}
