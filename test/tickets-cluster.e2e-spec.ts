import type { Socket } from 'socket.io-client';
import { AnalyticsRecorder } from '../src/analytics/analytics-recorder';
import { TicketMessage } from '../src/tickets/ticket-message.entity';
import { createTestApp, postgresUrl, redisUrl, sharedRedis, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { connect, next } from './support/sockets';
import { discordMemberToken } from './support/users';

const describeShared = postgresUrl && redisUrl ? describe : describe.skip;

/** Two instances on one PostgreSQL and one Redis: a room hears one order, whoever took the message. */
describeShared('ticket rooms and caches across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  const sockets: Socket[] = [];
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const env = {
      ...sharedRedis(),
      TICKET_COOLDOWN_MINUTES: '0',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Events are written when the test asks; an overview is then cached for 10 s.
      ANALYTICS_FLUSH_MS: '3600000',
    };
    a = await createTestApp({ database: 'postgres', env });
    b = await createTestApp({
      env: {
        ...env,
        DATABASE_URL: postgresUrl as string,
        DB_SCHEMA: a.config.database.schema as string,
      },
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await b?.close();
    await a?.close();
  });

  it('numbers the messages of a ticket in commit order and delivers them in that order on both', async () => {
    const opener = await discordMemberToken(a, '964000000000000001');
    const staff = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        discordMemberToken(a, String(964000000000000100n + BigInt(i)), 'moderator'),
      ),
    );
    const id = (
      await a
        .http()
        .post('/api/tickets')
        .set(as(opener))
        .send({ type: 'Support', subject: 'Both ways', description: 'Who hears what, and when?' })
        .expect(201)
    ).body.ticket_id as string;
    // Three listeners on each instance.
    const received = staff.map(() => [] as string[]);
    await Promise.all(
      staff.map(async (token, i) => {
        const socket = await connect(i % 2 === 0 ? a : b, { token });
        sockets.push(socket);
        socket.on('new_message', (event: { message: { id: string } }) =>
          received[i].push(event.message.id),
        );
        const joined = next(socket, 'message_history');
        socket.emit('join_ticket', { ticket_id: id });
        return joined;
      }),
    );

    // 300 messages at once, half through each instance.
    await Promise.all(
      staff.flatMap((token, c) =>
        Array.from({ length: 50 }, (_, m) =>
          (c % 2 === 0 ? b : a)
            .http()
            .post(`/api/tickets/${id}/messages`)
            .set(as(token))
            .send({ content: `c${c}-m${m}` })
            .expect(200),
        ),
      ),
    );

    const stored = await a.dataSource
      .getRepository(TicketMessage)
      .find({ where: { ticketId: id }, order: { seq: 'ASC' } });
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // Numbers follow the stored order.
    expect(stored.map((m) => m.id)).toEqual([...stored.map((m) => m.id)].sort((x, y) => x - y));
    const order = stored.map((m) => String(m.id));
    const deadline = Date.now() + 10_000;
    while (received.some((r) => r.length < 300) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const ids of received) expect(ids).toEqual(order);
  });

  it('drops the analytics overview cached on B when A writes new events', async () => {
    const mod = await discordMemberToken(a, '964000000000000200', 'moderator');
    const total = async (t: TestApp) =>
      (await t.http().get('/api/stats').set(as(mod)).expect(200)).body.total_actions as number;
    await a.app.get(AnalyticsRecorder).flush();
    const before = await total(b);
    // Requests recorded by A only, then written.
    for (let i = 0; i < 3; i += 1) await a.http().get('/api/tickets/my').set(as(mod)).expect(200);
    await a.app.get(AnalyticsRecorder).flush();
    await eventually(async () => expect(await total(b)).toBeGreaterThan(before), 2000);
  });
});
