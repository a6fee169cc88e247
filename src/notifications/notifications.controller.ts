import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBody, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import {
  NotificationSettingsDto,
  RegisterTokenDto,
  RegisterTokenWithPlatformDto,
  RegisteredDto,
  SettingsUpdatedDto,
  TestPushDto,
  TestPushSentDto,
  UnregisterTokenDto,
  UpdateNotificationSettingsDto,
} from './dto/notifications.dto';
import { NotificationsService } from './notifications.service';

const Disabled = () =>
  ApiServiceUnavailableResponse({
    description: 'Push notifications are not enabled on this server (PUSH_DISABLED)',
  });

/** Push registration and preferences (contract §2.4) and the admin's test push. */
@ApiTags('notifications')
@Authenticated()
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The app's form. Registering a known token again is fine; it moves to the caller. */
  @Post('register')
  @HttpCode(200)
  @Disabled()
  async register(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: RegisterTokenDto,
  ): Promise<RegisteredDto> {
    await this.notifications.register(principal.user.id, body.fcm_token, {
      platform: principal.session.platform,
      deviceInfo: body.device_info ?? principal.session.deviceInfo,
    });
    return { success: true, message: 'Token registered successfully' };
  }

  /** The HazeBot API document's form. */
  @Post('register-token')
  @HttpCode(200)
  @Disabled()
  async registerToken(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: RegisterTokenWithPlatformDto,
  ): Promise<RegisteredDto> {
    await this.notifications.register(principal.user.id, body.fcm_token, {
      platform: body.platform ?? principal.session.platform,
      deviceInfo: body.device_info ?? principal.session.deviceInfo,
    });
    return { success: true, message: 'Token registered' };
  }

  /** 404 when the caller has no such token. */
  @Post('unregister')
  @HttpCode(200)
  @Disabled()
  async unregister(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: UnregisterTokenDto,
  ): Promise<RegisteredDto> {
    await this.notifications.unregister(principal.user.id, body.fcm_token);
    return { success: true, message: 'Token unregistered successfully' };
  }

  /** Every key, always (defaults for what was never set). */
  @Get('settings')
  settings(@CurrentPrincipal() principal: UserPrincipal): Promise<NotificationSettingsDto> {
    return this.notifications.settings(principal.user.id);
  }

  /** Changes the keys sent; a value that is not a boolean is a 400 naming it. */
  @Put('settings')
  @ApiBody({ type: UpdateNotificationSettingsDto })
  async updateSettings(
    @CurrentPrincipal() principal: UserPrincipal,
    // Checked by the service: unknown keys are ignored here, as the app's older builds send some.
    @Body() body: Record<string, unknown>,
  ): Promise<SettingsUpdatedDto> {
    const settings = await this.notifications.updateSettings(principal.user.id, body);
    return { success: true, message: 'Settings updated successfully', settings };
  }

  /** Sends a test push now, to `fcm_token` or the caller's devices, and tells how each went. */
  @Post('test')
  @HttpCode(200)
  @RequirePermission('notifications.send')
  @Disabled()
  async test(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: TestPushDto,
  ): Promise<TestPushSentDto> {
    const outcomes = await this.notifications.test(principal.user.id, {
      token: body.fcm_token,
      title: body.title ?? 'Test',
      body: body.body ?? 'Test notification',
    });
    const results = outcomes.map((outcome) => ({
      token: masked(outcome.token),
      result: outcome.result,
      error: outcome.result === 'sent' ? null : outcome.code,
    }));
    const sent = results.filter((result) => result.result === 'sent').length;
    return { success: sent > 0, sent, results };
  }
}

/** Enough of a token to recognise it, not enough to use it. */
function masked(token: string): string {
  return token.length <= 12 ? '…' : `${token.slice(0, 6)}…${token.slice(-4)}`;
}
