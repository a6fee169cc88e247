import { PermissionFlagsBits } from 'discord.js';
import type { Socket } from 'socket.io-client';
import { OutboxService } from '../src/core/outbox';
import { TicketsService } from '../src/tickets/tickets.service';
import { createTestApp, type TestApp } from './support/app';
import { type DiscordWorld, IDS, member, STAFF, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { connect, next } from './support/sockets';
import { adminToken, discordMemberToken } from './support/users';

describe('tickets bridged to Discord channels', () => {
  let world: DiscordWorld;
  let t: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    world = await startDiscordWorld();
    t = await createTestApp({ env: { ...world.env, TICKET_COOLDOWN_MINUTES: '0' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t?.close();
    await world?.stop();
  });

  const answer = async (token: string) =>
    (await eventually(() => world.discord.answerTo(token))).content;
  const posted = (channelId: string) =>
    (world.discord.messages.get(channelId) ?? []).map((m) => m.content);
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const say = (ticketId: string, token: string, content: string) =>
    t.http().post(`/api/tickets/${ticketId}/messages`).set(as(token)).send({ content }).expect(200);

  /** Opens a ticket with /ticket as `who` and returns it once its channel exists. */
  async function openWithCommand(who = member(1), subject = 'Cannot join voice') {
    const token = world.gateway.slashCommand(
      'ticket',
      { type: 'Support', subject, description: 'It says no route' },
      who,
    );
    const reply = await answer(token);
    const [, num, channelId] = /Ticket #(\d+) opened\. Continue in <#(\d+)>/.exec(reply) ?? [];
    expect(channelId).toBeDefined();
    const ticket = await t.app.get(TicketsService).findByChannel(channelId);
    expect(ticket?.ticketNum).toBe(Number(num));
    return { ticket: ticket!, channelId };
  }

  it('/ticket opens a ticket with a private channel under the tickets category', async () => {
    const who = member(1);
    const { ticket, channelId } = await openWithCommand(who);
    expect(ticket).toMatchObject({ openerId: who.id, type: 'Support', status: 'open' });
    const channel = world.discord.channels.get(channelId);
    expect(channel).toMatchObject({
      name: `ticket-${String(ticket.ticketNum).padStart(4, '0')}`,
      parent_id: IDS.ticketsCategory,
    });
    const view = String(PermissionFlagsBits.ViewChannel);
    const overwrite = (id: string) => channel?.permission_overwrites.find((o) => o.id === id);
    expect(overwrite(world.discord.guildId)?.deny).toBe(view);
    for (const id of [who.id, IDS.adminRole, IDS.modRole]) {
      expect(BigInt(overwrite(id)?.allow ?? 0) & PermissionFlagsBits.ViewChannel).toBe(
        PermissionFlagsBits.ViewChannel,
      );
    }
    expect(posted(channelId)[0]).toContain('**Subject:** Cannot join voice');
  });

  it('stores a message written in the channel and pushes it to the socket room', async () => {
    const who = member(2);
    const { ticket, channelId } = await openWithCommand(who);
    const socket = await connect(t, { token: await discordMemberToken(t, who.id) });
    sockets.push(socket);
    const history = next(socket, 'message_history');
    socket.emit('join_ticket', { ticket_id: ticket.id });
    await history;
    const arrived = next<{ messageData: { content: string; source: string; author_id: string } }>(
      socket,
      'new_message',
    );
    world.gateway.message(who, channelId, 'hello from Discord');
    expect((await arrived).messageData).toMatchObject({
      content: 'hello from Discord',
      source: 'discord',
      author_id: who.id,
    });
    const res = await t
      .http()
      .get(`/api/tickets/${ticket.id}/messages`)
      .set(as(await discordMemberToken(t, who.id)))
      .expect(200);
    // The bot's own posts (the opening message) come back over the gateway and are not stored.
    expect(res.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'hello from Discord',
    ]);
  });

  it('posts app messages to the channel in order, each once', async () => {
    const who = member(3);
    const { ticket, channelId } = await openWithCommand(who);
    const token = await discordMemberToken(t, who.id);
    for (const text of ['first', 'second', 'third']) {
      await say(ticket.id, token, text);
    }
    await eventually(() =>
      expect(posted(channelId).slice(1)).toEqual([
        `**[member${who.id.slice(-4)}]:** first`,
        `**[member${who.id.slice(-4)}]:** second`,
        `**[member${who.id.slice(-4)}]:** third`,
      ]),
    );
    await t.app.get(OutboxService).drain();
    expect(posted(channelId)).toHaveLength(4);
  });

  it('keeps app messages while Discord answers 500 and delivers each once after', async () => {
    const who = member(4);
    const { ticket, channelId } = await openWithCommand(who);
    const token = await discordMemberToken(t, who.id);
    world.discord.outage = true;
    try {
      for (const text of ['during outage 1', 'during outage 2']) {
        await say(ticket.id, token, text);
      }
      await eventually(() =>
        expect(
          world.discord.calls.filter(
            (c) => c.status === 500 && c.path === `/api/v10/channels/${channelId}/messages`,
          ).length,
        ).toBeGreaterThanOrEqual(8),
      );
      expect(posted(channelId)).toHaveLength(1);
    } finally {
      world.discord.outage = false;
    }
    await eventually(() =>
      expect(posted(channelId).slice(1)).toEqual([
        `**[member${who.id.slice(-4)}]:** during outage 1`,
        `**[member${who.id.slice(-4)}]:** during outage 2`,
      ]),
    );
    await t.app.get(OutboxService).drain();
    expect(posted(channelId)).toHaveLength(3);
  });

  it('staff claim and close from Discord; the app sees it and the transcript is posted', async () => {
    const who = member(5);
    const { ticket, channelId } = await openWithCommand(who, 'Refund please');
    const notStaff = world.gateway.slashCommand('claim', {}, who, channelId);
    expect(await answer(notStaff)).toMatch(/staff|permission/i);

    const claim = world.gateway.slashCommand('claim', {}, STAFF, channelId);
    expect(await answer(claim)).toBe(`Ticket #${ticket.ticketNum} is yours.`);
    const claimed = await t.app.get(TicketsService).find(ticket.id);
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: STAFF.id });
    await eventually(() =>
      expect(posted(channelId)).toContain('✋ **Ticket claimed by Mod Marta**'),
    );
    // Names and avatars of people in the guild come from the bot's member cache.
    const view = await t
      .http()
      .get(`/api/tickets/${ticket.id}`)
      .set(as(await adminToken(t)))
      .expect(200);
    expect(view.body).toMatchObject({
      claimed_by: STAFF.id,
      claimed_by_name: 'Mod Marta',
      claimed_by_avatar: expect.stringMatching(/^https:\/\/cdn\.discordapp\.com\//),
      avatar_url: expect.stringMatching(/^https:\/\/cdn\.discordapp\.com\//),
    });

    world.gateway.message(STAFF, channelId, 'Refund sent');
    const close = world.gateway.slashCommand('close', { reason: 'Done' }, STAFF, channelId);
    expect(await answer(close)).toBe(`🔒 Ticket #${ticket.ticketNum} closed.`);
    const closed = await t.app.get(TicketsService).find(ticket.id);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'Done', closedBy: STAFF.id });
    await eventually(() => {
      expect(posted(channelId).at(-1)).toContain('**Closing Message:** Done');
      const overwrite = world.discord.channels
        .get(channelId)
        ?.permission_overwrites.find((o) => o.id === who.id);
      expect(BigInt(overwrite?.deny ?? 0) & PermissionFlagsBits.SendMessages).toBe(
        PermissionFlagsBits.SendMessages,
      );
      const transcript = world.discord.messages.get(IDS.transcripts)?.at(-1);
      expect(transcript?.content).toContain(`ticket #${ticket.ticketNum}`);
      expect(transcript?.files[0].name).toBe(
        `ticket-${String(ticket.ticketNum).padStart(4, '0')}.txt`,
      );
      expect(transcript?.files[0].text).toContain('Refund sent');
    });
  });

  it('closing from the app closes the Discord side too', async () => {
    const who = member(6);
    const { ticket, channelId } = await openWithCommand(who);
    await t
      .http()
      .post(`/api/tickets/${ticket.id}/close`)
      .set(as(await discordMemberToken(t, who.id)))
      .send({ close_message: '' })
      .expect(200);
    await eventually(() => {
      expect(posted(channelId).at(-1)).toMatch(/^Ticket successfully closed and archived/);
      expect(world.discord.messages.get(IDS.transcripts)?.at(-1)?.content).toContain(
        `ticket #${ticket.ticketNum}`,
      );
    });
    const outside = world.gateway.slashCommand('close', {}, who, IDS.general);
    expect(await answer(outside)).toBe('Use this command in a ticket channel');
  });

  it('acts in Discord as the Guildhall user: created on first use, current role, banned refused', async () => {
    const admin = await adminToken(t);
    const newcomer: typeof STAFF = { ...member(20), roles: [IDS.modRole] };
    const { ticket, channelId } = await openWithCommand(member(21), 'Who is staff here');
    // Unknown to Guildhall until now: created with the role their guild roles give.
    const claim = world.gateway.slashCommand('claim', {}, newcomer, channelId);
    expect(await answer(claim)).toBe(`Ticket #${ticket.ticketNum} is yours.`);
    const created = await t.http().get(`/api/users/${newcomer.id}`).set(as(admin)).expect(200);
    expect(created.body).toMatchObject({ discord_id: newcomer.id, role: 'mod' });

    // Lowered in Guildhall: the Discord moderator role no longer makes them staff.
    await t
      .http()
      .patch(`/api/users/${newcomer.id}`)
      .set(as(admin))
      .send({ role: 'lootling' })
      .expect(200);
    const other = await openWithCommand(member(22), 'Second one');
    const refused = world.gateway.slashCommand('claim', {}, newcomer, other.channelId);
    // As for REST: a member cannot see another member's ticket at all.
    expect(await answer(refused)).toBe('Ticket not found');
    expect((await t.app.get(TicketsService).find(other.ticket.id))?.status).toBe('open');

    // Banned: nothing they do in Discord counts.
    const opener = member(21);
    await t
      .http()
      .patch(`/api/users/${opener.id}`)
      .set(as(admin))
      .send({ banned: true })
      .expect(200);
    world.gateway.message(opener, channelId, 'written while banned');
    const reopen = world.gateway.slashCommand(
      'ticket',
      { type: 'Support', subject: 'Banned attempt', description: 'Should not open' },
      opener,
    );
    expect(await answer(reopen)).toBe('User is banned');
    await eventually(() =>
      expect(t.logs.text()).toContain('A message in a ticket channel was not stored'),
    );
    const messages = await t
      .http()
      .get(`/api/tickets/${ticket.id}/messages`)
      .set(as(admin))
      .expect(200);
    expect(messages.body.messages.map((m: { content: string }) => m.content)).not.toContain(
      'written while banned',
    );
  });

  it('stores no message written in the channel of a closed ticket', async () => {
    const who = member(23);
    const { ticket, channelId } = await openWithCommand(who);
    const close = world.gateway.slashCommand('close', {}, STAFF, channelId);
    expect(await answer(close)).toBe(`🔒 Ticket #${ticket.ticketNum} closed.`);
    const before = t.logs.lines.length;
    world.gateway.message(STAFF, channelId, 'after the close');
    await eventually(() =>
      expect(t.logs.lines.slice(before).join('\n')).toContain('TICKET_CLOSED'),
    );
    const messages = await t
      .http()
      .get(`/api/tickets/${ticket.id}/messages`)
      .set(as(await adminToken(t)))
      .expect(200);
    expect(messages.body.messages).toEqual([]);
  });
});
