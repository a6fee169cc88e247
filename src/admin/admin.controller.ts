import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  Authenticated,
  CurrentPrincipal,
  namedActorOf,
  RequirePermission,
} from '../auth/auth.decorators';
import { roleClaim } from '../auth/permissions';
import type { UserPrincipal } from '../auth/principal';
import { AdminService } from './admin.service';
import {
  AdminStatsDto,
  BroadcastRequestDto,
  BroadcastSentDto,
  GamingMembersDto,
  ProfileResponseDto,
} from './dto/admin.dto';

/** The admin screens' figures and tools (the HazeBot API document's admin routes). */
@ApiTags('admin')
@Controller('api')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  /** Bot uptime and guild figures (0 without a bot), ticket counts. */
  @Get('admin/stats')
  @RequirePermission('analytics.read')
  stats(): Promise<AdminStatsDto> {
    return this.admin.stats();
  }

  /** Stored, sent to every connected socket as `broadcast`, and pushed once push is configured. */
  @Post('admin/broadcast')
  @RequirePermission('notifications.send')
  @HttpCode(200)
  async broadcast(
    @Body() body: BroadcastRequestDto,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<BroadcastSentDto> {
    const { broadcast, deliveredToSockets } = await this.admin.broadcast(
      { title: body.title, message: body.message, priority: body.priority ?? 'normal' },
      namedActorOf(principal),
    );
    return {
      success: true,
      message: 'Broadcast sent',
      broadcast,
      delivered_to_sockets: deliveredToSockets,
    };
  }

  /** The community's members, for the ticket assign dialog (contract §2.11). */
  @Get('gaming/members')
  @Authenticated()
  async members(): Promise<GamingMembersDto> {
    const { members, appUsers } = await this.admin.members();
    return { members, total: members.length, app_users_count: appUsers };
  }

  /** The caller's profile with their notification opt-ins (contract §2.11). */
  @Get('user/profile')
  @Authenticated()
  profile(@CurrentPrincipal() principal: UserPrincipal): ProfileResponseDto {
    return {
      success: true,
      profile: this.admin.profile(principal.user, roleClaim(principal.user.role)),
    };
  }
}
