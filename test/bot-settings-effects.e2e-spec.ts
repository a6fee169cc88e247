import { TicketsLifecycle } from '../src/tickets/tickets-lifecycle.service';
import { TicketsService } from '../src/tickets/tickets.service';
import { createTestApp, type TestApp } from './support/app';
import { type DiscordWorld, IDS, member, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { adminToken } from './support/users';

type Body = Record<string, unknown>;

/** Settings saved through the API change what the bot does, at once, without a restart. */
describe('settings take effect', () => {
  let world: DiscordWorld;
  let t: TestApp;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const put = (section: string, body: Body) =>
    t.http().put(`/api/config/${section}`).set(as(admin)).send(body).expect(200);
  const cog = (name: string, action: 'load' | 'unload') =>
    t.http().post(`/api/cogs/${name}/${action}`).set(as(admin)).expect(200);
  const posted = (channelId: string) =>
    (world.discord.messages.get(channelId) ?? []).map((m) => m.content);
  const answer = async (token: string) => eventually(() => world.discord.answerTo(token));
  const open = (type = 'Support') =>
    t
      .http()
      .post('/api/tickets')
      .set(as(admin))
      .send({ type, subject: `About ${type}`, description: 'Please have a look at this.' });

  beforeAll(async () => {
    world = await startDiscordWorld();
    t = await createTestApp({
      env: {
        ...world.env,
        TICKET_COOLDOWN_MINUTES: '0',
        TICKET_JOB_INTERVAL_MS: '0',
        DISCORD_CLIENT_ID: world.discord.clientId,
        DISCORD_CLIENT_SECRET: world.discord.clientSecret,
        DISCORD_REDIRECT_URI: 'https://guildhall.example.com/api/discord/callback',
      },
    });
    admin = await adminToken(t);
    await eventually(() => {
      if (world.gateway.identified.length === 0) throw new Error('bot not connected yet');
    });
  });
  afterAll(async () => {
    await t?.close();
    await world?.stop();
  });

  it('tickets.categories validates POST /api/tickets and /ticket', async () => {
    await put('tickets', { categories: ['Billing', 'Support'] });
    await open('Billing').expect(201);
    await put('tickets', { categories: ['Billing'] });
    const refused = await open('Support').expect(400);
    expect(refused.body.error).toBe('Invalid ticket type. Must be one of: Billing');
    const token = world.gateway.slashCommand(
      'ticket',
      { type: 'Support', subject: 'Old type', description: 'x' },
      member(1),
    );
    expect((await answer(token)).content).toBe('Invalid ticket type. Must be one of: Billing');
    await put('tickets', { categories: ['Support', 'Bug', 'Billing'] });
  });

  it('channels decide where ticket channels, transcripts and log lines go', async () => {
    await put('channels', {
      tickets_category_id: IDS.community,
      transcript_channel_id: IDS.general,
      log_channel_id: IDS.chat,
    });
    const res = await open().expect(201);
    const id = res.body.ticket_id as string;
    const num = res.body.ticket_num as number;
    const ticket = await eventually(async () => {
      const found = await t.app.get(TicketsService).find(id);
      if (!found?.channelId) throw new Error('no channel yet');
      return found;
    });
    expect(world.discord.channels.get(ticket.channelId as string)?.parent_id).toBe(IDS.community);
    await eventually(() =>
      expect(posted(IDS.chat)).toContain(`🎫 Ticket #${num} opened by admin: About Support`),
    );
    await t.http().post(`/api/tickets/${id}/close`).set(as(admin)).send({}).expect(200);
    await eventually(() =>
      expect(
        posted(IDS.general).some((text) => text.includes(`Transcript of ticket #${num}`)),
      ).toBe(true),
    );
    expect(posted(IDS.transcripts).some((text) => text.includes(`ticket #${num}`))).toBe(false);
    await eventually(() =>
      expect(posted(IDS.chat)).toContain(`🔒 Closed ticket #${num}: About Support`),
    );

    // Transcripts can be switched off.
    await put('tickets', { transcript_enabled: false });
    const second = await open().expect(201);
    await eventually(async () => {
      if (!(await t.app.get(TicketsService).find(second.body.ticket_id as string))?.channelId)
        throw new Error('no channel yet');
    });
    await t
      .http()
      .post(`/api/tickets/${second.body.ticket_id}/close`)
      .set(as(admin))
      .send({})
      .expect(200);
    await eventually(() =>
      expect(posted(IDS.chat)).toContain(
        `🔒 Closed ticket #${second.body.ticket_num}: About Support`,
      ),
    );
    expect(
      posted(IDS.general).some((text) => text.includes(`ticket #${second.body.ticket_num}`)),
    ).toBe(false);
    await put('tickets', { transcript_enabled: true });
  });

  it('auto_delete_after_close_days drives the clean-up job', async () => {
    const res = await open().expect(201);
    await t
      .http()
      .post(`/api/tickets/${res.body.ticket_id}/close`)
      .set(as(admin))
      .send({})
      .expect(200);
    await put('tickets', { auto_delete_after_close_days: 30 });
    const job = t.app.get(TicketsLifecycle);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
    await job.runOnce(inDays(8));
    expect(await t.app.get(TicketsService).find(res.body.ticket_id as string)).not.toBeNull();
    await put('tickets', { auto_delete_after_close_days: null });
    expect((await job.runOnce(inDays(400))).deleted).toBe(0);
    await put('tickets', { auto_delete_after_close_days: 30 });
    expect((await job.runOnce(inDays(31))).deleted).toBeGreaterThan(0);
    expect(await t.app.get(TicketsService).find(res.body.ticket_id as string)).toBeNull();
  });

  it('welcome messages greet a member who joins, unless the Welcome cog is unloaded', async () => {
    await put('channels', {
      welcome_public_channel_id: IDS.general,
      welcome_rules_channel_id: IDS.voice,
    });
    await put('welcome', {
      welcome_messages: ['Hi {name}, welcome aboard!'],
      rules_text: '1. Be nice.',
    });
    const first = member(60);
    world.gateway.memberJoins(first);
    await eventually(() => {
      const rules = (world.discord.messages.get(IDS.voice) ?? []).at(-1);
      expect(rules?.content).toBe(`<@${first.id}>`);
      expect(rules?.embeds?.[0]).toMatchObject({ description: '1. Be nice.' });
    });
    await eventually(() =>
      expect(posted(IDS.general)).toContain(`Hi <@${first.id}>, welcome aboard!`),
    );

    await cog('Welcome', 'unload');
    const ignored = member(61);
    world.gateway.memberJoins(ignored);
    await cog('Welcome', 'load');
    const later = member(62);
    world.gateway.memberJoins(later);
    // Gateway events are handled in order: once the later greeting is there, the ignored one is not.
    await eventually(() =>
      expect(posted(IDS.general)).toContain(`Hi <@${later.id}>, welcome aboard!`),
    );
    expect(posted(IDS.general)).not.toContain(`Hi <@${ignored.id}>, welcome aboard!`);
  });

  it("general.bot_name drives the bot's presence; unloading Presence clears it", async () => {
    const names = () =>
      world.gateway.presences.flatMap((presence) => presence.activities.map((a) => a.name));
    await eventually(() => expect(names()).toContain('Haze World Bot'));
    await put('general', { bot_name: 'Guild Bot' });
    await eventually(() => expect(names()).toContain('Guild Bot'));
    await cog('Presence', 'unload');
    await eventually(() => expect(world.gateway.presences.at(-1)?.activities).toEqual([]));
    await cog('Presence', 'load');
    await eventually(() =>
      expect(world.gateway.presences.at(-1)?.activities[0]?.name).toBe('Guild Bot'),
    );
    // The rotation runs every presence_update_interval seconds, without anything else happening.
    await put('general', { presence_update_interval: 5 });
    const after = world.gateway.presences.length;
    await eventually(
      () => expect(world.gateway.presences.length).toBeGreaterThanOrEqual(after + 2),
      15_000,
    );
    await put('general', { presence_update_interval: 3600 });
  });

  it('role ids drive the role a Discord login gets', async () => {
    const login = async (id: string, roles: string[]) => {
      const code = world.discord.addUser(
        { id, username: `user${id.slice(-4)}`, avatar: null },
        roles,
      );
      const auth = await t.http().get('/api/discord/auth?state=web').expect(200);
      const state = new URL(auth.body.auth_url as string).searchParams.get('state');
      const res = await t.http().get('/api/discord/callback').query({ code, state }).expect(200);
      return res.body as Body;
    };
    const helperRole = IDS.cohortRole;
    expect((await login('170000000000000001', [helperRole])).role).toBe('lootling');
    await put('roles', { moderator_role_id: helperRole });
    expect((await login('170000000000000002', [helperRole])).role).toBe('mod');
    await put('roles', { admin_role_id: helperRole });
    expect((await login('170000000000000003', [helperRole])).role).toBe('admin');
    await t.http().post('/api/config/roles/reset').set(as(admin)).expect(200);
    expect((await login('170000000000000004', [helperRole])).role).toBe('lootling');
  });

  it('an unloaded cog answers its slash commands "This feature is disabled"', async () => {
    await cog('TicketSystem', 'unload');
    const token = world.gateway.slashCommand(
      'ticket',
      { type: 'Support', subject: 'While off', description: 'x' },
      member(2),
    );
    expect(await answer(token)).toMatchObject({ content: 'This feature is disabled', flags: 64 });
    await cog('TicketSystem', 'load');

    await cog('ServerGuide', 'unload');
    const off = world.gateway.slashCommand('server-guide', {}, member(2));
    expect((await answer(off)).content).toBe('This feature is disabled');
    await cog('ServerGuide', 'load');
    await put('server_guide', { categories: ['Rules', 'Roles'] });
    const on = world.gateway.slashCommand('server-guide', {}, member(2));
    expect((await answer(on)).embeds?.[0]).toMatchObject({
      title: 'Welcome to the Chillventory! 🌟',
      description: '• Rules\n• Roles',
    });
  });
});
