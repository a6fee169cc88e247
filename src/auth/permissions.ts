/**
 * Permissions are `resource.action` strings. Routes name the one they need; roles grant sets of them.
 * Nothing outside this file decides what a role may do.
 */
export const PERMISSIONS = [
  'tickets.read',
  'tickets.manage',
  'tickets.delete',
  'users.read',
  'users.manage',
  'sessions.read',
  'analytics.read',
  'analytics.reset',
  'config.read',
  'config.write',
  'cogs.manage',
  'rocket_league.manage',
  'memes.generate',
  'memes.send',
  'notifications.send',
  'logs.read',
  // Admins only: the outbox's messages carry e-mail addresses and message texts.
  'outbox.manage',
  'guild.read',
  'api_keys.manage',
  'invites.read',
  'invites.write',
  'invites.bulk',
  'invites.redeem',
  'stats.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** What a partner API key can be granted. */
export const API_KEY_SCOPES = [
  'invites.read',
  'invites.write',
  'invites.bulk',
  'invites.redeem',
  'stats.read',
] as const satisfies readonly Permission[];

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const ROLES = ['admin', 'moderator', 'lootling'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  moderator: [
    'tickets.read',
    'tickets.manage',
    'users.read',
    'sessions.read',
    'analytics.read',
    'config.read',
    'guild.read',
    'memes.generate',
    'memes.send',
    'invites.read',
    'invites.redeem',
    'stats.read',
  ],
  // Members redeem invite codes for themselves only; the service enforces that.
  lootling: ['memes.generate', 'invites.redeem'],
};

/** Names the HazeBot app knows for some permissions; tokens carry them too. */
const LEGACY_NAMES: Partial<Record<Permission, string>> = {
  'memes.generate': 'meme_generator',
  'tickets.read': 'tickets_read',
  'analytics.read': 'analytics_read',
};

export interface RolePolicy {
  /** HazeBot gave moderators everything; Guildhall keeps them to staff permissions unless told. */
  moderatorFullAccess: boolean;
}

export function hasFullAccess(role: Role, policy: RolePolicy): boolean {
  return role === 'admin' || (role === 'moderator' && policy.moderatorFullAccess);
}

export function permissionsOf(role: Role, policy: RolePolicy): ReadonlySet<Permission> {
  return new Set(hasFullAccess(role, policy) ? PERMISSIONS : ROLE_PERMISSIONS[role]);
}

/** The `permissions` claim and response field: `["all"]` for full access, as the HazeBot app expects. */
export function permissionClaim(role: Role, policy: RolePolicy): string[] {
  if (hasFullAccess(role, policy)) return ['all'];
  return ROLE_PERMISSIONS[role].flatMap((permission) => {
    const legacy = LEGACY_NAMES[permission];
    return legacy ? [permission, legacy] : [permission];
  });
}

/** The role as the HazeBot app spells it (`mod`, not `moderator`). */
export function roleClaim(role: Role): string {
  return role === 'moderator' ? 'mod' : role;
}

/** Accepts both spellings of the moderator role. */
export function parseRole(value: string): Role | undefined {
  if (value === 'mod') return 'moderator';
  return (ROLES as readonly string[]).includes(value) ? (value as Role) : undefined;
}

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** The role a guild member's Discord roles give: admin, moderator, or lootling for everyone else. */
export function roleFromGuildRoles(
  roleIds: readonly string[],
  configured: { admin?: string | null; moderator?: string | null },
): Role {
  if (configured.admin && roleIds.includes(configured.admin)) return 'admin';
  if (configured.moderator && roleIds.includes(configured.moderator)) return 'moderator';
  return 'lootling';
}
