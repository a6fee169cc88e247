import { createTestApp, postgresUrl, redisUrl, sharedRedis, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { RecordingPushSender } from './support/push';
import { connect, next } from './support/sockets';
import { adminToken, discordMemberToken } from './support/users';

const describeShared = postgresUrl && redisUrl ? describe : describe.skip;

/** A viewer on one instance is skipped by a push that another instance sends. */
describeShared('push viewer suppression across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  const pushA = new RecordingPushSender();
  const pushB = new RecordingPushSender();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const received = (token: string) => [
    ...pushA.receivedBy(token, 'new_message'),
    ...pushB.receivedBy(token, 'new_message'),
  ];

  beforeAll(async () => {
    const env = { ...sharedRedis(), TICKET_COOLDOWN_MINUTES: '0', OUTBOX_POLL_MS: '50' };
    a = await createTestApp({ database: 'postgres', env, pushSender: pushA });
    // B never delivers: the push goes out from A, which only Redis tells of B's viewer.
    b = await createTestApp({
      env: {
        ...env,
        OUTBOX_POLL_MS: '0',
        DATABASE_URL: postgresUrl as string,
        DB_SCHEMA: a.config.database.schema as string,
      },
      pushSender: pushB,
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('skips a staff member viewing the ticket through the other instance', async () => {
    const mod = await discordMemberToken(a, '963000000000000001', 'moderator');
    const member = await discordMemberToken(a, '963000000000000002');
    const admin = await adminToken(a);
    for (const [token, fcm] of [
      [mod, 'tok-mod'],
      [admin, 'tok-admin'],
    ]) {
      await a
        .http()
        .post('/api/notifications/register')
        .set(as(token))
        .send({ fcm_token: fcm })
        .expect(200);
    }
    const opened = await a
      .http()
      .post('/api/tickets')
      .set(as(member))
      .send({ type: 'Support', subject: 'Two instances', description: 'Who hears this one?' })
      .expect(201);
    const id = opened.body.ticket_id as string;
    const socket = await connect(b, { token: mod });
    try {
      const history = next(socket, 'message_history');
      socket.emit('join_ticket', { ticket_id: id });
      await history;
      await a
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(member))
        .send({ content: 'Ping' })
        .expect(200);
      await eventually(() => expect(received('tok-admin')).toHaveLength(1));
      expect(received('tok-mod')).toHaveLength(0);
    } finally {
      socket.close();
    }
  });
});
