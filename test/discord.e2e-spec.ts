import { Client } from 'discord.js';
import { OutboxService } from '../src/core/outbox';
import { InvitesService } from '../src/invites/invites.service';
import { createTestApp, type TestApp } from './support/app';
import { type DiscordWorld, IDS, member, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { adminToken } from './support/users';

const EPHEMERAL = 64;

describe('the Discord bot against a local fake Discord', () => {
  let world: DiscordWorld;
  let t: TestApp;

  beforeAll(async () => {
    world = await startDiscordWorld();
    t = await createTestApp({ env: world.env });
  });
  afterAll(async () => {
    await t?.close();
    await world?.stop();
  });

  const answer = (token: string) => eventually(() => world.discord.answerTo(token));

  const newCode = (code: string, maxUses: number) =>
    t.app.get(InvitesService).create({
      code,
      cohort: 'BC1',
      maxUses,
      source: 'manual',
      createdBy: null,
    });

  it('logs in through GET /gateway/bot and becomes ready with the guild in its cache', () => {
    const client = t.app.get(Client);
    expect(client.isReady()).toBe(true);
    expect(world.gateway.identified).toEqual([
      expect.objectContaining({ token: 'fake.bot.token' }),
    ]);
    const guild = client.guilds.cache.get(world.discord.guildId);
    expect(guild?.name).toBe('Build Crew');
    expect(guild?.roles.cache.get(IDS.adminRole)?.name).toBe('Admin');
    expect(world.discord.calls.some((c) => c.path === '/api/v10/gateway/bot')).toBe(true);
  });

  it('registers its slash commands for the guild', async () => {
    const registered = await eventually(() => {
      const call = world.discord.calls.find(
        (c) => c.method === 'PUT' && c.path.endsWith(`/guilds/${world.discord.guildId}/commands`),
      );
      if (!call) throw new Error('commands not registered yet');
      return call;
    });
    const names = (JSON.parse(registered.body) as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['invitecode']));
  });

  it('answers the config pickers from the guild cache', async () => {
    const token = await adminToken(t);
    const auth = { Authorization: `Bearer ${token}` };
    const channels = await t.http().get('/api/guild/channels').set(auth).expect(200);
    expect(channels.body).toEqual([
      { id: IDS.community, name: 'Community', category: null, position: 0, type: 'category' },
      { id: IDS.ticketsCategory, name: 'Tickets', category: null, position: 4, type: 'category' },
      { id: IDS.general, name: 'general', category: null, position: 1, type: 'text' },
      { id: IDS.chat, name: 'chat', category: 'Community', position: 2, type: 'text' },
      { id: IDS.transcripts, name: 'transcripts', category: null, position: 5, type: 'text' },
    ]);
    const roles = await t.http().get('/api/guild/roles').set(auth).expect(200);
    expect(roles.body).toEqual([
      { id: IDS.adminRole, name: 'Admin', color: 16711680, position: 3, mentionable: false },
      { id: IDS.modRole, name: 'Mod', color: 0, position: 2, mentionable: false },
      { id: IDS.cohortRole, name: 'BC1', color: 0, position: 1, mentionable: false },
    ]);
  });

  describe('/invitecode', () => {
    it('redeems a valid code, grants the cohort role and answers ephemerally', async () => {
      await newCode('VALID-CODE-1', 3);
      const who = member(1);
      const token = world.gateway.slashCommand('invitecode', { code: 'VALID-CODE-1' }, who);
      const reply = await answer(token);
      expect(reply.content).toContain('**BC1**');
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      await eventually(() =>
        expect(world.discord.roleGrants()).toContainEqual({
          userId: who.id,
          roleId: IDS.cohortRole,
        }),
      );
      const invite = await t.app.get(InvitesService).get('VALID-CODE-1');
      expect(invite.usedCount).toBe(1);
    });

    it('tells a member who already redeemed the code so, and changes nothing', async () => {
      const token = world.gateway.slashCommand('invitecode', { code: 'VALID-CODE-1' }, member(1));
      expect(await answer(token)).toMatchObject({
        content: 'You have already redeemed this invite code',
        flags: EPHEMERAL,
      });
      expect((await t.app.get(InvitesService).get('VALID-CODE-1')).usedCount).toBe(1);
    });

    it('answers a used-up and an unknown code ephemerally, without a role', async () => {
      await newCode('USED-UP-1', 1);
      await t.app.get(InvitesService).redeem('USED-UP-1', member(2).id);
      const usedUp = world.gateway.slashCommand('invitecode', { code: 'USED-UP-1' }, member(3));
      expect(await answer(usedUp)).toMatchObject({
        content: 'Invite code has been used up',
        flags: EPHEMERAL,
      });
      const unknown = world.gateway.slashCommand('invitecode', { code: 'NO-SUCH' }, member(4));
      expect(await answer(unknown)).toMatchObject({
        content: 'Invite code not found',
        flags: EPHEMERAL,
      });
      await t.app.get(OutboxService).drain();
      const granted = world.discord.roleGrants().map((g) => g.userId);
      expect(granted).not.toContain(member(3).id);
      expect(granted).not.toContain(member(4).id);
    });

    it('grants exactly max_uses roles when 20 members redeem one code at once', async () => {
      await newCode('RACE-CODE', 5);
      const members = Array.from({ length: 20 }, (_, i) => member(100 + i));
      const tokens = members.map((m) =>
        world.gateway.slashCommand('invitecode', { code: 'RACE-CODE' }, m),
      );
      const replies = await Promise.all(tokens.map((token) => answer(token)));
      const welcomed = replies.filter((r) => r.content.includes('**BC1**'));
      expect(welcomed).toHaveLength(5);
      expect(replies.filter((r) => r.content === 'Invite code has been used up')).toHaveLength(15);
      const ids = new Set(members.map((m) => m.id));
      await eventually(() =>
        expect(world.discord.roleGrants().filter((g) => ids.has(g.userId))).toHaveLength(5),
      );
      await t.app.get(OutboxService).drain();
      expect(world.discord.roleGrants().filter((g) => ids.has(g.userId))).toHaveLength(5);
      expect((await t.app.get(InvitesService).get('RACE-CODE')).usedCount).toBe(5);
    });

    it('keeps a grant while Discord fails and delivers it once Discord is back', async () => {
      await newCode('OUTAGE-CODE', 1);
      const who = member(5);
      world.discord.outage = true;
      try {
        await t.app.get(InvitesService).redeem('OUTAGE-CODE', who.id);
        await eventually(() =>
          expect(
            world.discord.calls.filter(
              (c) => c.status === 500 && c.path.includes(`/members/${who.id}/roles/`),
            ).length,
          ).toBeGreaterThanOrEqual(8),
        );
      } finally {
        world.discord.outage = false;
      }
      await eventually(() =>
        expect(world.discord.roleGrants().filter((g) => g.userId === who.id)).toEqual([
          { userId: who.id, roleId: IDS.cohortRole },
        ]),
      );
    });
  });
});

describe('an instance with a token and DISCORD_GATEWAY=false', () => {
  it('does not log in but still delivers Discord side effects over REST', async () => {
    const world = await startDiscordWorld();
    const t = await createTestApp({ env: { ...world.env, DISCORD_GATEWAY: 'false' } });
    try {
      expect(() => t.app.get(Client)).toThrow();
      const invites = t.app.get(InvitesService);
      await invites.create({
        code: 'REST-ONLY',
        cohort: 'BC1',
        maxUses: 1,
        source: 'manual',
        createdBy: null,
      });
      await invites.redeem('REST-ONLY', member(7).id);
      await eventually(() =>
        expect(world.discord.roleGrants()).toEqual([
          { userId: member(7).id, roleId: IDS.cohortRole },
        ]),
      );
      expect(world.gateway.identified).toEqual([]);
    } finally {
      await t.close();
      await world.stop();
    }
  });
});

describe('without DISCORD_TOKEN', () => {
  it('runs the API alone', async () => {
    const t = await createTestApp();
    try {
      expect(() => t.app.get(Client)).toThrow();
      await t.http().get('/health').expect(200);
      const token = await adminToken(t);
      const res = await t
        .http()
        .get('/api/guild/roles')
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(res.body).toEqual({
        error: 'Bot not initialized',
        code: 503,
        error_code: 'BOT_NOT_READY',
      });
    } finally {
      await t.close();
    }
  });
});
