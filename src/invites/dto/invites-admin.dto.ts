import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsDiscordId } from '../../core/validation';
import { CohortFillDto, GeneratedCodeDto } from './build-crew.dto';

export class ListInvitesQueryDto {
  @IsOptional()
  @IsIn(['active', 'used', 'expired', 'disabled'])
  @ApiProperty({ enum: ['active', 'used', 'expired', 'disabled'], required: false })
  state?: 'active' | 'used' | 'expired' | 'disabled';

  @IsOptional()
  @Matches(/^BC[1-9]\d{0,3}$/)
  cohort?: string;

  /** Codes starting with this text. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  search?: string;

  /** 1-200, default 50. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class CreateInviteDto extends GeneratedCodeDto {
  /** Omit to generate one. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'code must be 1-64 letters, digits, _ or -' })
  code?: string;

  @Matches(/^BC[1-9]\d{0,3}$/, { message: 'cohort must be a cohort such as BC1' })
  cohort!: string;
}

export class InviteDto {
  code!: string;
  cohort!: string;
  max_uses!: number;
  used_count!: number;
  remaining!: number;
  line_number!: number;
  /** `active`, `used`, `expired` or `disabled`. */
  state!: string;
  source!: string;
  email!: string | null;
  name!: string | null;
  expires_at!: string | null;
  disabled_at!: string | null;
  created_at!: string;
}

export class InviteListDto {
  codes!: InviteDto[];
  total!: number;
  limit!: number;
  offset!: number;
}

export class CohortListDto {
  cohorts!: CohortFillDto[];
}

export class RedeemDto {
  @IsString()
  @MaxLength(80)
  code!: string;

  /**
   * The member redeeming, a Discord id: 17 to 20 digits, as a string or an exact JSON number (always
   * answered as a string). A member may leave it out (it is their own); a partner key must give it.
   * @example "123456789012345678"
   */
  @IsOptional()
  @IsDiscordId()
  discord_user_id?: string;
}

export class RedeemResponseDto {
  success!: true;
  code!: string;
  cohort!: string;
  discord_role_id!: string | null;
  discord_user_id!: string;
  remaining_uses!: number;
  redeemed_at!: string;
}
