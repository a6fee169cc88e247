import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { TicketMessage } from '../src/tickets/ticket-message.entity';
import { TicketsGateway } from '../src/tickets/tickets.gateway';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { connect, disconnected, next, refusalOf } from './support/sockets';
import { discordMemberToken } from './support/users';

interface Update {
  ticket_id: string;
  event_type: string;
  data: { id?: string; content?: string };
  timestamp: string;
}

describe('ticket chat over Socket.IO', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let mod: string;
  const sockets: Socket[] = [];
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const track = (socket: Socket) => (sockets.push(socket), socket);
  const openTicket = async (token: string) =>
    (
      await t
        .http()
        .post('/api/tickets')
        .set(as(token))
        .send({
          type: 'Support',
          subject: 'Live chat',
          description: 'Please talk to me in real time.',
        })
        .expect(201)
    ).body.ticket_id as string;
  const say = (token: string, id: string, content: string) =>
    t.http().post(`/api/tickets/${id}/messages`).set(as(token)).send({ content }).expect(200);

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TICKET_COOLDOWN_MINUTES: '0',
        SOCKET_SESSION_CHECK_MS: '100',
        RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
    alice = await discordMemberToken(t, '900000000000000001');
    bob = await discordMemberToken(t, '900000000000000002');
    mod = await discordMemberToken(t, '900000000000000003', 'moderator');
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => t.close());

  it('refuses a socket without a token or with a forged or expired one', async () => {
    await expect(connect(t)).rejects.toThrow('Token is missing');
    const forged = jwt.sign(
      { ...(jwt.decode(alice) as object) },
      'another-secret-of-at-least-32-chars!!',
      { algorithm: 'HS256' },
    );
    await expect(connect(t, { token: forged })).rejects.toThrow('token_invalid');
    const expired = jwt.sign(
      { ...(jwt.decode(alice) as object), exp: Math.floor(Date.now() / 1000) - 5 },
      TEST_SECRET_KEY,
      {
        algorithm: 'HS256',
      },
    );
    await expect(connect(t, { token: expired })).rejects.toThrow('token_expired');
  });

  it('takes the token from auth.token, a token query or an Authorization header', async () => {
    track(await connect(t, { token: alice }));
    track(await connect(t, undefined, { token: alice }));
    const { io } = await import('socket.io-client');
    const viaHeader = io(t.url, {
      transports: ['websocket'],
      extraHeaders: as(alice),
      reconnection: false,
      forceNew: true,
    });
    track(viaHeader);
    await next(viaHeader, 'connected');
  });

  it('sends the complete, ordered history to the joiner and every change to the room', async () => {
    const id = await openTicket(alice);
    for (const text of ['one', 'two', 'three']) await say(alice, id, text);
    const socket = track(await connect(t, { token: alice }));
    const history = next<{ ticket_id: string; messages: { content: string }[] }>(
      socket,
      'message_history',
    );
    socket.emit('join_ticket', { ticket_id: id, user_id: '900000000000000001' });
    expect((await history).messages.map((m) => m.content)).toEqual(['one', 'two', 'three']);
    expect(t.app.get(TicketsGateway).viewersOf(id)).toEqual(['900000000000000001']);

    const update = next<Update>(socket, 'ticket_update');
    const readme = next<{
      ticket_id: string;
      message: { content: string };
      messageData: { content: string };
    }>(socket, 'new_message');
    await say(mod, id, 'staff here');
    expect(await update).toMatchObject({
      ticket_id: id,
      event_type: 'new_message',
      data: { content: 'staff here', is_admin: true },
    });
    expect((await readme).messageData.content).toBe('staff here');

    const claimed = next<Update>(socket, 'ticket_update');
    await t
      .http()
      .post(`/api/tickets/${id}/claim`)
      .set(as(mod))
      .send({ user_id: '900000000000000003' })
      .expect(200);
    expect(await claimed).toMatchObject({
      event_type: 'ticket_claimed',
      data: { claimed_by: '900000000000000003' },
    });

    const left = next<{ ticket_id: string }>(socket, 'left_ticket');
    socket.emit('leave_ticket', { ticket_id: id });
    expect((await left).ticket_id).toBe(id);
    expect(t.app.get(TicketsGateway).viewersOf(id)).toEqual([]);
  });

  it("keeps a member out of another member's ticket room", async () => {
    const id = await openTicket(alice);
    const socket = track(await connect(t, { token: bob }));
    const error = next<{ error_code: string }>(socket, 'error');
    let leaked = false;
    socket.on('message_history', () => (leaked = true));
    socket.on('ticket_update', () => (leaked = true));
    socket.emit('join_ticket', { ticket_id: id });
    expect((await error).error_code).toBe('TICKET_NOT_FOUND');
    // The opener's own socket is in the room: once it has the message, a leak would have arrived too.
    const opener = track(await connect(t, { token: alice }));
    const joined = next(opener, 'message_history');
    opener.emit('join_ticket', { ticket_id: id });
    await joined;
    const delivered = next(opener, 'new_message');
    await say(alice, id, 'secret');
    await delivered;
    expect(leaked).toBe(false);

    const staff = track(await connect(t, { token: mod }));
    const history = next<{ messages: unknown[] }>(staff, 'message_history');
    staff.emit('join_ticket', { ticket_id: id });
    expect((await history).messages).toHaveLength(1);
  });

  it('drops a socket when its session is revoked or its token expires', async () => {
    const login = await discordMemberToken(t, '900000000000000010');
    const socket = track(await connect(t, { token: login }));
    const gone = disconnected(socket);
    await t.http().post('/api/auth/logout').set(as(login)).expect(200);
    expect(await gone).toBe('io server disconnect');

    const fresh = await discordMemberToken(t, '900000000000000011');
    const shortLived = jwt.sign(
      { ...(jwt.decode(fresh) as object), exp: Math.floor(Date.now() / 1000) + 2 },
      TEST_SECRET_KEY,
      {
        algorithm: 'HS256',
      },
    );
    const expiring = track(await connect(t, { token: shortLived }));
    expect(await disconnected(expiring, 5000)).toBe('io server disconnect');
  });

  it('delivers 1,000 concurrent messages to every subscriber in stored order', async () => {
    const id = await openTicket(alice);
    const staff = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        discordMemberToken(t, String(910000000000000000n + BigInt(i)), 'moderator'),
      ),
    );
    const clients = await Promise.all(
      staff.map(async (token) => track(await connect(t, { token }))),
    );
    const received = clients.map(() => [] as number[]);
    await Promise.all(
      clients.map((socket, i) => {
        socket.on('ticket_update', (update: Update) => {
          if (update.event_type === 'new_message') received[i].push(Number(update.data.id));
        });
        const joined = next(socket, 'message_history');
        socket.emit('join_ticket', { ticket_id: id });
        return joined;
      }),
    );
    await Promise.all(
      staff.map((token, c) =>
        Promise.all(Array.from({ length: 100 }, (_, m) => say(token, id, `c${c}-m${m}`))),
      ),
    );

    const stored = await t.dataSource
      .getRepository(TicketMessage)
      .find({ where: { ticketId: id }, order: { id: 'ASC' } });
    expect(stored).toHaveLength(1000);
    const order = stored.map((m) => m.id);
    const deadline = Date.now() + 10_000;
    while (received.some((r) => r.length < 1000) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const ids of received) expect(ids).toEqual(order);
  });
});

describe('Socket.IO limits and the anonymous setting', () => {
  it('throttles a flooding socket and drops it, and caps the payload size', async () => {
    const t = await createTestApp({
      env: { SOCKET_EVENTS_PER_10S: '5', SOCKET_MAX_PAYLOAD_BYTES: '2048' },
    });
    try {
      const token = await discordMemberToken(t, '920000000000000001');
      const flooder = await connect(t, { token });
      const refused = next<{ error_code?: string }>(flooder, 'error');
      const gone = disconnected(flooder);
      for (let i = 0; i < 12; i += 1) flooder.emit('leave_ticket', { ticket_id: `x${i}` });
      expect((await refused).error_code).toBe('TOO_MANY_REQUESTS');
      await gone;

      // Another member: the flooder is cooling down (see below).
      const big = await connect(t, { token: await discordMemberToken(t, '920000000000000002') });
      const closed = disconnected(big);
      big.emit('join_ticket', { ticket_id: 'y', padding: 'x'.repeat(10_000) });
      await closed;
    } finally {
      await t.close();
    }
  });

  it('caps the sockets one user holds open, and frees a place when one closes', async () => {
    const t = await createTestApp({ env: { SOCKET_MAX_PER_USER: '20' } });
    const sockets: Socket[] = [];
    try {
      const token = await discordMemberToken(t, '921000000000000001');
      sockets.push(...(await Promise.all(Array.from({ length: 20 }, () => connect(t, { token })))));
      const refused = await refusalOf(t, { token });
      expect(refused).toEqual({
        error: 'Too many open connections',
        code: 429,
        error_code: 'TOO_MANY_CONNECTIONS',
      });
      // Another user is not affected.
      sockets.push(await connect(t, { token: await discordMemberToken(t, '921000000000000002') }));
      const first = sockets.shift() as Socket;
      first.close();
      await eventually(async () => sockets.push(await connect(t, { token })));
    } finally {
      for (const socket of sockets) socket.close();
      await t.close();
    }
  });

  it('counts token-less sockets per client address, through a trusted proxy', async () => {
    const t = await createTestApp({
      env: { SOCKET_ALLOW_ANONYMOUS: 'true', SOCKET_MAX_PER_USER: '2', TRUST_PROXY: 'true' },
    });
    const sockets: Socket[] = [];
    const from = (address: string) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = io(t.url, {
          transports: ['websocket'],
          extraHeaders: { 'X-Forwarded-For': address },
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (error: Error & { data?: unknown }) => reject(error));
      });
    try {
      await from('198.51.100.7');
      await from('198.51.100.7');
      await expect(from('198.51.100.7')).rejects.toMatchObject({
        data: { error_code: 'TOO_MANY_CONNECTIONS' },
      });
      await from('198.51.100.8');
    } finally {
      for (const socket of sockets) socket.close();
      await t.close();
    }
  });

  it('refuses a flooder who reconnects at once until the cool-down has passed', async () => {
    const t = await createTestApp({
      env: { SOCKET_EVENTS_PER_10S: '5', SOCKET_FLOOD_COOLDOWN_MS: '1500' },
    });
    try {
      const token = await discordMemberToken(t, '922000000000000001');
      const flooder = await connect(t, { token });
      const gone = disconnected(flooder);
      for (let i = 0; i < 12; i += 1) flooder.emit('leave_ticket', { ticket_id: `x${i}` });
      await gone;
      const droppedAt = Date.now();
      const refused = await refusalOf(t, { token });
      expect(refused).toEqual({
        error: 'Disconnected for flooding; reconnect later',
        code: 429,
        error_code: 'SOCKET_COOLDOWN',
        retry_after: expect.any(Number),
      });
      const back = await eventually(() => connect(t, { token }), 5_000);
      expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(1_000);
      // A fresh budget: five events pass without a refusal.
      const refusals: unknown[] = [];
      back.on('error', (error: unknown) => refusals.push(error));
      for (let i = 0; i < 5; i += 1) back.emit('leave_ticket', { ticket_id: `y${i}` });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(refusals).toEqual([]);
      expect(back.connected).toBe(true);
      back.close();
    } finally {
      await t.close();
    }
  });

  it('lets token-less sockets listen to a ticket by id only when SOCKET_ALLOW_ANONYMOUS is on', async () => {
    const t = await createTestApp({
      env: { SOCKET_ALLOW_ANONYMOUS: 'true', TICKET_COOLDOWN_MINUTES: '0' },
    });
    try {
      const owner = await discordMemberToken(t, '930000000000000001');
      const created = await t
        .http()
        .post('/api/tickets')
        .set('Authorization', `Bearer ${owner}`)
        .send({ type: 'Support', subject: 'Anonymous', description: 'Listening without a token.' })
        .expect(201);
      const socket = await connect(t);
      const history = next(socket, 'message_history');
      socket.emit('join_ticket', { ticket_id: created.body.ticket_id });
      await history;
      const update = next<Update>(socket, 'ticket_update');
      await t
        .http()
        .post(`/api/tickets/${created.body.ticket_id}/messages`)
        .set('Authorization', `Bearer ${owner}`)
        .send({ content: 'hello listeners' })
        .expect(200);
      expect((await update).data.content).toBe('hello listeners');
      socket.close();
    } finally {
      await t.close();
    }
  });
});
