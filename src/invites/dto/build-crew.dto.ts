import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinDate,
  ValidateNested,
} from 'class-validator';

const COHORT = /^BC[1-9]\d{0,3}$/;
const COHORT_MESSAGE = 'must be a cohort such as BC1, BC2 or BC3';

/** Limits shared by every way of creating a code. */
export class CodeLimitsDto {
  /** 1-10000, default 1. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  max_uses?: number;

  /** Optional ISO-8601 expiry. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expires_at must be in the future' })
  expires_at?: Date;
}

/** Length of a generated code. */
export class GeneratedCodeDto extends CodeLimitsDto {
  /** 8-64, default 16. */
  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(64)
  code_length?: number;
}

export class AddInviteCodeDto extends CodeLimitsDto {
  /** The code, case-sensitive: letters, digits, `_` and `-`. @example "CUSTOM123" */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'code must be 1-64 letters, digits, _ or -' })
  code!: string;

  /** Preferred cohort. @example "BC1" */
  @Matches(COHORT, { message: `role ${COHORT_MESSAGE}` })
  role!: string;
}

export class GenerateCodeDto extends GeneratedCodeDto {
  /** Preferred cohort. @example "BC1" */
  @Matches(COHORT, { message: `role ${COHORT_MESSAGE}` })
  role!: string;
}

export class CodeCreatedDto {
  success!: true;
  /** @example "Invite code generated successfully" */
  message!: string;
  code!: string;
  role!: string;
  max_uses!: number;
  created_at!: string;
}

export class ListedCodeDto {
  code!: string;
  role!: string;
  max_uses!: number;
  used_count!: number;
  remaining!: number;
  /** Stable position in creation order. */
  line_number!: number;
}

export class ListCodesDto {
  codes!: ListedCodeDto[];
  total!: number;
  timestamp!: string;
}

export class CohortFillDto {
  name!: string;
  discord_role_id!: string | null;
  members!: number;
  capacity!: number;
  remaining!: number;
}

class CodeCountsDto {
  /** Codes that can still be redeemed. */
  active!: number;
  /** Codes used up, expired or disabled. */
  expired!: number;
  total!: number;
  total_uses!: number;
}

class SystemDto {
  max_role_members!: number;
  development_mode!: boolean;
  api_enabled!: boolean;
}

export class StatsDto {
  invite_codes!: CodeCountsDto;
  system!: SystemDto;
  cohorts!: CohortFillDto[];
  timestamp!: string;
}

export class AcceptUserDto {
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  /** Preferred cohort, default BC1. */
  @IsOptional()
  @Matches(COHORT, { message: `cohort ${COHORT_MESSAGE}` })
  cohort?: string;
}

export class BulkAcceptDto {
  /** At most 100 users. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100, { message: 'users may list at most 100 users per request' })
  @ValidateNested({ each: true })
  @Type(() => AcceptUserDto)
  users!: AcceptUserDto[];
}

export class BulkEmailAcceptDto {
  /** One per line: `email`, `Name <email>` or `email,Name`; at most 500. */
  @IsString()
  @MaxLength(300_000)
  emails!: string;

  /** Send the invitations by e-mail (needs EMAIL_ENABLED). */
  @IsOptional()
  @IsBoolean()
  send_emails?: boolean;
}

class EmailTemplateDto {
  subject!: string;
  body!: string;
}

class UserInfoDto {
  email!: string;
  name!: string;
  assigned_cohort!: string;
}

export class AcceptUserResponseDto {
  success!: true;
  message!: string;
  invite_code!: string;
  role!: string;
  max_uses!: number;
  instructions!: string;
  email_template!: EmailTemplateDto;
  user_info!: UserInfoDto;
  created_at!: string;
}

class BulkAcceptResultDto {
  success!: boolean;
  invite_code!: string;
  role!: string;
  user_email!: string;
  user_name!: string;
  instructions!: string;
}

class BulkAcceptSummaryDto {
  total_requested!: number;
  successful!: number;
  failed!: number;
}

export class BulkAcceptResponseDto {
  success!: true;
  message!: string;
  results!: BulkAcceptResultDto[];
  summary!: BulkAcceptSummaryDto;
  created_at!: string;
}

class BulkEmailResultDto {
  email!: string;
  name!: string;
  invite_code!: string;
  assigned_to!: string;
  success!: boolean;
  /** True when the invitation was queued for delivery (sent by the outbox, with retries). */
  email_sent!: boolean;
}

class BulkEmailSummaryDto {
  total_processed!: number;
  codes_generated!: number;
  emails_sent!: number;
  email_failures!: number;
  /** Lines repeating an address already in the list. */
  duplicates_skipped!: number;
  assignment_method!: string;
  email_sending_enabled!: boolean;
}

class DiscordInfoDto {
  server_invite!: string;
  server_name!: string;
  command_to_use!: string;
}

export class BulkEmailAcceptResponseDto {
  success!: true;
  message!: string;
  results!: BulkEmailResultDto[];
  summary!: BulkEmailSummaryDto;
  discord_info!: DiscordInfoDto;
  created_at!: string;
}
