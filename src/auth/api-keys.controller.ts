import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ApiKey } from './api-key.entity';
import { ApiKeyAuth, CurrentPrincipal, RequirePermission } from './auth.decorators';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyDto,
  ApiKeyListDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  TestAuthResponseDto,
} from './dto/api-key.dto';
import type { UserPrincipal } from './principal';

/** Partner API keys: created, listed, rotated and revoked by admins. */
@ApiTags('api-keys')
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Creates a key. The key is in this response only; scopes cannot exceed the creator's permissions. */
  @Post()
  @RequirePermission('api_keys.manage')
  async create(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.keys.create(principal, {
      name: body.name,
      scopes: body.scopes,
      expiresAt: body.expires_at ?? null,
    });
    return { ...toDto(apiKey), key };
  }

  @Get()
  @RequirePermission('api_keys.manage')
  async list(): Promise<ApiKeyListDto> {
    return { keys: (await this.keys.list()).map(toDto) };
  }

  /** A new secret for the key; the old one stops working at once. */
  @Post(':id/rotate')
  @RequirePermission('api_keys.manage')
  @HttpCode(200)
  async rotate(@Param('id', ParseUUIDPipe) id: string): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.keys.rotate(id);
    return { ...toDto(apiKey), key };
  }

  /** Revokes the key at once. */
  @Delete(':id')
  @RequirePermission('api_keys.manage')
  async revoke(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyDto> {
    return toDto(await this.keys.revoke(id));
  }
}

/** The Build Crew API's key check. */
@ApiTags('build-crew')
@Controller()
export class ApiKeyCheckController {
  /** Test API key authentication. */
  @Get('test_auth')
  @ApiKeyAuth()
  testAuth(): TestAuthResponseDto {
    return {
      status: 'authenticated',
      message: 'API key is valid!',
      service: 'Build Crew Bot API',
      timestamp: new Date().toISOString(),
    };
  }
}

function toDto(apiKey: ApiKey): ApiKeyDto {
  const expired = apiKey.expiresAt !== null && apiKey.expiresAt.getTime() <= Date.now();
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    scopes: apiKey.scopes,
    created_at: apiKey.createdAt.toISOString(),
    expires_at: apiKey.expiresAt?.toISOString() ?? null,
    last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
    revoked_at: apiKey.revokedAt?.toISOString() ?? null,
    status: apiKey.revokedAt ? 'revoked' : expired ? 'expired' : 'active',
  };
}
