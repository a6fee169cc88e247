import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinDate,
  MinLength,
} from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '../permissions';

export class CreateApiKeyDto {
  /** What the key is for, e.g. the partner's name. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** Any of invites.read, invites.write, invites.bulk, invites.redeem, stats.read. */
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: ApiKeyScope[];

  /** ISO-8601 time after which the key stops working. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expires_at must be in the future' })
  expires_at?: Date;
}

export class ApiKeyDto {
  id!: string;
  name!: string;
  /** The visible start of the key. @example "gh_1a2b3c4d" */
  prefix!: string;
  scopes!: string[];
  created_at!: string;
  expires_at!: string | null;
  last_used_at!: string | null;
  revoked_at!: string | null;
  /** `active`, `expired` or `revoked`. */
  status!: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key itself. It is shown only here; only its hash is stored. */
  key!: string;
}

export class ApiKeyListDto {
  keys!: ApiKeyDto[];
}

export class TestAuthResponseDto {
  /** @example "authenticated" */
  status!: string;
  /** @example "API key is valid!" */
  message!: string;
  /** @example "Build Crew Bot API" */
  service!: string;
  timestamp!: string;
}
