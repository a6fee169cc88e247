import type { Permission } from './permissions';
import type { User } from './user.entity';

/**
 * Whoever acts, through any transport: a Guildhall user with the permissions of their current role.
 * A REST or socket principal is one; a Discord member acting in Discord becomes one through
 * `AuthService.actorForDiscordMember`.
 */
export interface Actor {
  user: User;
  permissions: ReadonlySet<Permission>;
}

/** A Discord member as an interaction or a message shows them. */
export interface DiscordMemberIdentity {
  discordId: string;
  username: string;
  displayName: string | null;
  avatarUrl: string | null;
  /** The member's guild role ids, for the role of a member Guildhall has not met yet. */
  roleIds: readonly string[];
}
