import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterTokenDto {
  /** The device's FCM registration token. */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  fcm_token!: string;

  /** Free text about the device, e.g. "Google Pixel 9". */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  device_info?: string;
}

export class RegisterTokenWithPlatformDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  fcm_token!: string;

  /** @example "android" */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  platform?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  device_info?: string;
}

export class UnregisterTokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  fcm_token!: string;
}

export class RegisteredDto {
  success!: true;
  /** @example "Token registered successfully" */
  message!: string;
}

/** Every key, always; each value a boolean. */
export class NotificationSettingsDto {
  /** Off: no pushes at all. */
  notifications_enabled!: boolean;
  /** New messages in tickets the user takes part in (staff: every unassigned ticket). */
  ticket_new_messages!: boolean;
  /** Messages that mention the user, even with `ticket_new_messages` off. */
  ticket_mentions!: boolean;
  /** New tickets (staff). */
  ticket_created!: boolean;
  /** A ticket assigned to the user. */
  ticket_assigned!: boolean;
}

/** Any of the settings' keys; unknown keys are ignored. */
export class UpdateNotificationSettingsDto {
  notifications_enabled?: boolean;
  ticket_new_messages?: boolean;
  ticket_mentions?: boolean;
  ticket_created?: boolean;
  ticket_assigned?: boolean;
}

export class SettingsUpdatedDto {
  success!: true;
  /** @example "Settings updated successfully" */
  message!: string;
  settings!: NotificationSettingsDto;
}

export class TestPushDto {
  /** A token to push to; the caller's own tokens without it. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  fcm_token?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  body?: string;
}

export class TestPushResultDto {
  /** The token's first and last characters. */
  token!: string;
  /** `sent`, `invalid` (the token was deleted), `rejected` (FCM refused the message) or `retry`. */
  result!: string;
  error!: string | null;
}

export class TestPushSentDto {
  success!: boolean;
  sent!: number;
  results!: TestPushResultDto[];
}
