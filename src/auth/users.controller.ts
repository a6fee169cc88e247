import { Body, Controller, Delete, Get, Param, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ValidationFailed } from '../core/errors';
import { Authenticated, CurrentPrincipal, RequirePermission } from './auth.decorators';
import { AuthService } from './auth.service';
import { DeletedDto, UpdateUserDto, UserDetailDto, UserProfileDto } from './dto/user.dto';
import { parseRole, roleClaim } from './permissions';
import type { UserPrincipal } from './principal';
import type { User } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  /** The caller, in the HazeBot README's shape. */
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() principal: UserPrincipal): UserProfileDto {
    return this.profile(principal.user);
  }

  /** A user by internal id or Discord id. */
  @Get(':id')
  @RequirePermission('users.read')
  async get(@Param('id') id: string): Promise<UserDetailDto> {
    return this.detail(await this.users.get(id));
  }

  /** Change a user's role or ban them. Effective on the user's next request. */
  @Patch(':id')
  @RequirePermission('users.manage')
  async update(@Param('id') id: string, @Body() body: UpdateUserDto): Promise<UserDetailDto> {
    let user = await this.users.get(id);
    if (body.role !== undefined) {
      const role = parseRole(body.role);
      if (!role)
        throw new ValidationFailed([
          { field: 'role', message: 'role must be admin, mod or lootling' },
        ]);
      user = await this.users.setRole(user.id, role);
    }
    if (body.banned !== undefined) user = await this.users.setBanned(user.id, body.banned);
    return this.detail(user);
  }

  /** Delete a user; their tokens stop working at once. */
  @Delete(':id')
  @RequirePermission('users.manage')
  async delete(@Param('id') id: string): Promise<DeletedDto> {
    await this.users.delete(id);
    return { success: true, message: 'User deleted' };
  }

  private profile(user: User): UserProfileDto {
    return {
      user_id: user.discordId ?? user.id,
      username: user.username,
      discriminator: '0',
      avatar: user.avatarUrl,
      role: roleClaim(user.role),
      permissions: this.auth.permissionClaim(user),
    };
  }

  private detail(user: User): UserDetailDto {
    return {
      ...this.profile(user),
      id: user.id,
      discord_id: user.discordId,
      display_name: user.displayName,
      kind: user.kind,
      banned: user.bannedAt !== null,
      disabled: user.disabledAt !== null,
      created_at: user.createdAt.toISOString(),
    };
  }
}
