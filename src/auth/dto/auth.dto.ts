import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class LoginResponseDto {
  /** JWT (HS256) to send as `Authorization: Bearer <token>`. */
  token!: string;
  /** @example "admin" */
  user!: string;
  /** @example "admin" */
  role!: string;
  /** Discord id, or `legacy_user` for password users. @example "legacy_user" */
  discord_id!: string;
  /** @example ["all"] */
  permissions!: string[];
}

export class RefreshResponseDto {
  token!: string;
  user!: string;
  discord_id!: string;
  role!: string;
  permissions!: string[];
  /** Present when the user's role came from a named Discord role. */
  role_name?: string;
}

export class VerifyTokenResponseDto {
  valid!: true;
  user!: string;
  role!: string;
  /** ISO-8601 expiry of the token. */
  expires_at!: string;
}

export class MeDto {
  user!: string;
  discord_id!: string;
  /** `admin`, `mod` or `lootling`. */
  role!: string;
  role_name!: string | null;
  permissions!: string[];
  /** `legacy` (password) or `discord`. */
  auth_type!: string;
  avatar_url!: string | null;
}

export class LogoutResponseDto {
  /** @example "Logged out successfully" */
  message!: string;
}
