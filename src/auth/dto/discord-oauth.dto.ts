import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const OAUTH_SOURCES = ['web', 'analytics', 'mobile', 'android', 'ios'] as const;
export type OAuthSource = (typeof OAUTH_SOURCES)[number];

export class DiscordAuthQueryDto {
  /** Where to send the user after login: web (default), analytics, mobile/android or ios. */
  @IsOptional()
  @IsIn(OAUTH_SOURCES)
  state?: OAuthSource;
}

export class DiscordAuthResponseDto {
  /** Discord's authorization page, with a signed single-use `state`. */
  auth_url!: string;
}

export class DiscordCallbackQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  state?: string;

  /** Sent by Discord when the user declines. */
  @IsOptional()
  @IsString()
  error?: string;

  @IsOptional()
  @IsString()
  error_description?: string;
}

/** Answered instead of a redirect when no frontend URL is configured for the source. */
export class DiscordLoginResponseDto {
  token!: string;
  user!: string;
  role!: string;
  permissions!: string[];
  discord_user!: { id: string; username: string; avatar_url: string | null };
}
