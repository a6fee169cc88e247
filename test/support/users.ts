import { AuthService } from '../../src/auth/auth.service';
import type { Role } from '../../src/auth/permissions';
import { UsersService } from '../../src/auth/users.service';
import type { TestApp } from './app';
import { TEST_ADMIN_PASSWORD } from './app';

const NO_CLIENT = {
  platform: null,
  deviceInfo: null,
  appVersion: null,
  clientSessionId: null,
  userAgent: null,
  ip: null,
};

/** A Discord member with a session, as if they had logged in with Discord. Returns their token. */
export async function discordMemberToken(
  t: TestApp,
  discordId: string,
  role: Role = 'lootling',
): Promise<string> {
  const user = await t.app.get(UsersService).upsertDiscordUser({
    discordId,
    username: `member${discordId.slice(-4)}`,
    displayName: null,
    avatarUrl: null,
    role,
    roleName: null,
  });
  return (await t.app.get(AuthService).issue(user, 'discord', NO_CLIENT)).token;
}

export async function adminToken(t: TestApp): Promise<string> {
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
    .expect(200);
  return res.body.token as string;
}

/** A partner key with the given scopes, created by the admin. */
export async function partnerKey(t: TestApp, scopes: string[], name = 'Partner'): Promise<string> {
  const admin = await adminToken(t);
  const res = await t
    .http()
    .post('/api/api-keys')
    .set('Authorization', `Bearer ${admin}`)
    .send({ name, scopes })
    .expect(201);
  return res.body.key as string;
}

export const ALL_INVITE_SCOPES = [
  'invites.read',
  'invites.write',
  'invites.bulk',
  'invites.redeem',
  'stats.read',
];
