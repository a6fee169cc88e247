import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { OutboxService } from '../src/core/outbox';
import { PushToken } from '../src/notifications/push-token.entity';
import { createTestApp, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { RecordingPushSender } from './support/push';
import { connect, next } from './support/sockets';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

const MOD_ID = '960000000000000001';
const ALICE_ID = '960000000000000002';
const BOB_ID = '960000000000000003';

describe('push notifications', () => {
  let t: TestApp;
  let push: RecordingPushSender;
  let admin: string;
  let mod: string;
  let alice: string;
  let bob: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const register = (token: string, fcm: string) =>
    t
      .http()
      .post('/api/notifications/register')
      .set(as(token))
      .send({ fcm_token: fcm, device_info: 'Pixel' })
      .expect(200);
  const settle = () => t.app.get(OutboxService).drain();
  const open = async (token: string, subject = 'Broken') =>
    (
      await t
        .http()
        .post('/api/tickets')
        .set(as(token))
        .send({ type: 'Support', subject, description: 'It **really** is <b>broken</b>.' })
        .expect(201)
    ).body as { ticket_id: string; ticket_num: number };
  const say = (token: string, id: string, content: string) =>
    t.http().post(`/api/tickets/${id}/messages`).set(as(token)).send({ content }).expect(200);

  beforeAll(async () => {
    push = new RecordingPushSender();
    t = await createTestApp({
      pushSender: push,
      env: { TICKET_COOLDOWN_MINUTES: '0', OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '50' },
    });
    admin = await adminToken(t);
    mod = await discordMemberToken(t, MOD_ID, 'moderator');
    alice = await discordMemberToken(t, ALICE_ID);
    bob = await discordMemberToken(t, BOB_ID);
    await register(admin, 'tok-admin');
    await register(mod, 'tok-mod');
    await register(alice, 'tok-alice');
    await register(bob, 'tok-bob');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await settle();
    push.clear();
  });

  describe('registration', () => {
    it('answers as the app expects, and again for a known token', async () => {
      const res = await register(alice, 'tok-alice');
      expect(res.body).toMatchObject({ message: 'Token registered successfully' });
      const seed = await t
        .http()
        .post('/api/notifications/register-token')
        .set(as(bob))
        .send({ fcm_token: 'tok-bob-tablet', platform: 'android' })
        .expect(200);
      expect(seed.body).toEqual({ success: true, message: 'Token registered' });
      const row = await t.dataSource
        .getRepository(PushToken)
        .findOneByOrFail({ token: 'tok-bob-tablet' });
      expect(row.platform).toBe('android');
      const missing = await t
        .http()
        .post('/api/notifications/register')
        .set(as(bob))
        .send({})
        .expect(400);
      expect(missing.body.error).toBe('fcm_token is required');
      await t.http().post('/api/notifications/register').send({ fcm_token: 'x' }).expect(401);
    });

    it('moves a token to whoever registers it, and unregisters only the owner', async () => {
      await register(bob, 'tok-shared');
      await register(alice, 'tok-shared');
      const owner = await t.dataSource
        .getRepository(PushToken)
        .findOneByOrFail({ token: 'tok-shared' });
      const other = await t.dataSource
        .getRepository(PushToken)
        .findOneByOrFail({ token: 'tok-alice' });
      expect(owner.userId).toBe(other.userId);
      const notMine = await t
        .http()
        .post('/api/notifications/unregister')
        .set(as(bob))
        .send({ fcm_token: 'tok-shared' })
        .expect(404);
      expect(notMine.body.error).toBe('Token not found');
      const done = await t
        .http()
        .post('/api/notifications/unregister')
        .set(as(alice))
        .send({ fcm_token: 'tok-shared' })
        .expect(200);
      expect(done.body.message).toBe('Token unregistered successfully');
    });

    it('keeps a user to ten tokens, dropping the oldest', async () => {
      const carol = await discordMemberToken(t, '960000000000000009');
      for (let i = 1; i <= 12; i += 1) await register(carol, `tok-carol-${i}`);
      const tokens = await t.dataSource.getRepository(PushToken).find({
        where: {
          userId: (
            await t.dataSource.getRepository(PushToken).findOneByOrFail({ token: 'tok-carol-12' })
          ).userId,
        },
      });
      expect(tokens.map((row) => row.token).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `tok-carol-${i + 3}`).sort(),
      );
    });
  });

  describe('settings', () => {
    it('always answers every key, and changes only the keys sent', async () => {
      const initial = await t.http().get('/api/notifications/settings').set(as(bob)).expect(200);
      expect(initial.body).toEqual({
        notifications_enabled: true,
        ticket_new_messages: true,
        ticket_mentions: true,
        ticket_created: true,
        ticket_assigned: true,
      });
      await t
        .http()
        .put('/api/notifications/settings')
        .set(as(bob))
        .send({ ticket_created: false, unknown_key: 1 })
        .expect(200);
      const after = await t.http().get('/api/notifications/settings').set(as(bob)).expect(200);
      expect(after.body).toEqual({ ...initial.body, ticket_created: false });
      const bad = await t
        .http()
        .put('/api/notifications/settings')
        .set(as(bob))
        .send({ ticket_assigned: 'no' })
        .expect(400);
      expect(bad.body.details).toEqual([
        { field: 'ticket_assigned', message: 'ticket_assigned must be a boolean' },
      ]);
      for (const body of [{}, { unknown_key: true }]) {
        const none = await t
          .http()
          .put('/api/notifications/settings')
          .set(as(bob))
          .send(body)
          .expect(400);
        expect(none.body.error).toBe('No valid settings provided');
      }
      await t
        .http()
        .put('/api/notifications/settings')
        .set(as(bob))
        .send({ ticket_created: true })
        .expect(200);
    });
  });

  describe('pushes on ticket events', () => {
    it('tells staff of a new ticket, with the app data keys, not the opener', async () => {
      const ticket = await open(alice, 'Cannot log in');
      await settle();
      const [data] = push.receivedBy('tok-mod', 'new_ticket');
      expect(data).toEqual({
        ticket_id: ticket.ticket_id,
        ticket_num: String(ticket.ticket_num),
        event_type: 'new_ticket',
        click_action: 'FLUTTER_NOTIFICATION_CLICK',
        route: `/tickets/${ticket.ticket_id}`,
        title: `New Ticket #${ticket.ticket_num}`,
        body: `member0002 created a new Support ticket: It really is broken.`,
      });
      expect(push.receivedBy('tok-admin', 'new_ticket')).toHaveLength(1);
      expect(push.receivedBy('tok-alice')).toHaveLength(0);
      expect(push.receivedBy('tok-bob')).toHaveLength(0);
      // One multicast for the event.
      expect(push.sent.filter((p) => p.data.ticket_id === ticket.ticket_id)).toHaveLength(1);
    });

    it('sends a message to the opener and staff, never to its author; then only to the assignee', async () => {
      const ticket = await open(alice);
      await settle();
      push.clear();
      await say(alice, ticket.ticket_id, 'Any news? '.repeat(30));
      await settle();
      const [data] = push.receivedBy('tok-mod', 'new_message');
      expect(data.title).toBe(`New Message in Ticket #${ticket.ticket_num}`);
      expect(data.body.length).toBeLessThanOrEqual(100);
      expect(data.body.startsWith('member0002: Any news?')).toBe(true);
      expect(push.receivedBy('tok-admin', 'new_message')).toHaveLength(1);
      expect(push.receivedBy('tok-alice')).toHaveLength(0);

      push.clear();
      await say(mod, ticket.ticket_id, 'Looking into **it**');
      await settle();
      expect(push.receivedBy('tok-alice', 'new_message')[0]?.body).toBe(
        'member0001: Looking into it',
      );
      expect(push.receivedBy('tok-mod')).toHaveLength(0);

      push.clear();
      await t
        .http()
        .post(`/api/tickets/${ticket.ticket_id}/assign`)
        .set(as(admin))
        .send({ assigned_to: MOD_ID })
        .expect(200);
      await settle();
      expect(push.receivedBy('tok-mod', 'ticket_assigned')[0]).toMatchObject({
        title: `Ticket #${ticket.ticket_num} Assigned`,
        body: 'A ticket has been assigned to you',
      });
      push.clear();
      await say(alice, ticket.ticket_id, 'Thanks');
      await settle();
      expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1);
      expect(push.receivedBy('tok-admin')).toHaveLength(0);
    });

    it('skips whoever is viewing the ticket in a socket room right now', async () => {
      const ticket = await open(alice);
      const socket: Socket = await connect(t, { token: mod });
      try {
        const history = next(socket, 'message_history');
        socket.emit('join_ticket', { ticket_id: ticket.ticket_id });
        await history;
        await settle();
        push.clear();
        await say(alice, ticket.ticket_id, 'Are you there?');
        await settle();
        expect(push.receivedBy('tok-mod')).toHaveLength(0);
        expect(push.receivedBy('tok-admin', 'new_message')).toHaveLength(1);
        const left = next(socket, 'left_ticket');
        socket.emit('leave_ticket', { ticket_id: ticket.ticket_id });
        await left;
        await say(alice, ticket.ticket_id, 'Hello?');
        await settle();
        expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1);
      } finally {
        socket.close();
      }
    });

    it("honours each user's settings", async () => {
      const set = (token: string, body: Body) =>
        t.http().put('/api/notifications/settings').set(as(token)).send(body).expect(200);
      await set(admin, { notifications_enabled: false });
      await set(mod, { ticket_created: false });
      try {
        const ticket = await open(alice);
        await settle();
        expect(push.receivedBy('tok-admin')).toHaveLength(0);
        expect(push.receivedBy('tok-mod')).toHaveLength(0);
        await set(mod, { ticket_new_messages: false });
        await say(alice, ticket.ticket_id, 'plain message');
        await settle();
        expect(push.receivedBy('tok-mod')).toHaveLength(0);
        // A mention still reaches a user who keeps ticket_mentions on.
        await say(alice, ticket.ticket_id, `<@${MOD_ID}> please look`);
        await settle();
        expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1);
      } finally {
        await set(admin, { notifications_enabled: true });
        await set(mod, { ticket_created: true, ticket_new_messages: true });
      }
    });
  });

  describe('delivery faults', () => {
    it('retries a push while FCM fails and delivers it once it recovers, once', async () => {
      const ticket = await open(alice);
      await settle();
      push.clear();
      push.failing = true;
      await say(alice, ticket.ticket_id, 'During the outage');
      await eventually(() => expect(push.calls).toBeGreaterThan(0));
      const calls = push.calls;
      await eventually(() => expect(push.calls).toBeGreaterThan(calls));
      expect(push.sent).toHaveLength(0);
      push.failing = false;
      await eventually(() => expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1));
      await settle();
      expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1);
      expect(push.receivedBy('tok-admin', 'new_message')).toHaveLength(1);
    });

    it('retries only the tokens that failed', async () => {
      const ticket = await open(alice);
      await settle();
      push.clear();
      push.retryable.add('tok-admin');
      await say(alice, ticket.ticket_id, 'Partly delivered');
      await eventually(() => expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1));
      push.retryable.clear();
      await eventually(() => expect(push.receivedBy('tok-admin', 'new_message')).toHaveLength(1));
      await settle();
      expect(push.receivedBy('tok-mod', 'new_message')).toHaveLength(1);
    });

    it('deletes a token FCM no longer knows', async () => {
      await register(bob, 'tok-bob-old');
      push.invalid.add('tok-bob-old');
      const res = await t
        .http()
        .post('/api/admin/broadcast')
        .set(as(admin))
        .send({ title: 'Maintenance', message: 'Tonight **at 10**', priority: 'high' })
        .expect(200);
      expect(res.body.success).toBe(true);
      await settle();
      expect(
        await t.dataSource.getRepository(PushToken).findOneBy({ token: 'tok-bob-old' }),
      ).toBeNull();
      for (const token of ['tok-admin', 'tok-mod', 'tok-alice', 'tok-bob']) {
        expect(push.receivedBy(token, 'broadcast')[0]).toMatchObject({
          title: 'Maintenance',
          body: 'Tonight at 10',
          priority: 'high',
        });
      }
    });
  });

  it('sends a test push to a token or the caller’s devices (admins only)', async () => {
    const res = await t
      .http()
      .post('/api/notifications/test')
      .set(as(admin))
      .send({ fcm_token: 'tok-alice-test-device', title: 'Test', body: 'Test notification' })
      .expect(200);
    expect(res.body).toEqual({
      success: true,
      sent: 1,
      results: [{ token: 'tok-al…vice', result: 'sent', error: null }],
    });
    const own = await t.http().post('/api/notifications/test').set(as(admin)).send({}).expect(200);
    expect(own.body.sent).toBe(1);
    await t.http().post('/api/notifications/test').set(as(alice)).send({}).expect(403);
  });
});

describe('push notifications without credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 to registration after authentication, and reports push off', async () => {
    const token = await discordMemberToken(t, '961000000000000001');
    await t.http().post('/api/notifications/register').send({ fcm_token: 'x' }).expect(401);
    const res = await t
      .http()
      .post('/api/notifications/register')
      .set({ Authorization: `Bearer ${token}` })
      .send({ fcm_token: 'x' })
      .expect(503);
    expect(res.body).toMatchObject({
      error: 'Push notifications are not enabled on this server',
      error_code: 'PUSH_DISABLED',
    });
    await t
      .http()
      .post('/api/notifications/unregister')
      .set({ Authorization: `Bearer ${token}` })
      .send({ fcm_token: 'x' })
      .expect(503);
    // Settings still work: the app's settings screen loads.
    await t
      .http()
      .get('/api/notifications/settings')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    const health = await t.http().get('/api/health?detailed=true').expect(200);
    expect(health.body.checks.push).toMatchObject({ enabled: false });
    // Nothing is queued for pushes while push is off.
    await t
      .http()
      .post('/api/tickets')
      .set({ Authorization: `Bearer ${token}` })
      .send({ type: 'Support', subject: 'No push', description: 'Push is off here.' })
      .expect(201);
    const queued = await t.dataSource.query<{ count: number }[]>(
      "SELECT COUNT(*) AS count FROM outbox_messages WHERE kind LIKE 'push.%'",
    );
    expect(Number(queued[0].count)).toBe(0);
  });
});

describe('push notifications with Firebase credentials', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guildhall-fcm-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const file = join(dir, 'firebase-credentials.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'service_account',
        project_id: 'guildhall-e2e',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        client_email: 'push@guildhall-e2e.iam.gserviceaccount.com',
      }),
    );
    t = await createTestApp({
      env: { GOOGLE_APPLICATION_CREDENTIALS: file, FCM_SERVER_KEY: 'legacy-server-key' },
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns push on from the service account, and warns about the legacy key', async () => {
    const token = await discordMemberToken(t, '962000000000000001');
    await t
      .http()
      .post('/api/notifications/register')
      .set({ Authorization: `Bearer ${token}` })
      .send({ fcm_token: 'device-token' })
      .expect(200);
    const health = await t.http().get('/api/health?detailed=true').expect(200);
    expect(health.body.checks.push).toEqual({ status: 'ok', enabled: true });
    expect(t.logs.text()).toContain('FCM_SERVER_KEY is the legacy FCM server key');
    expect(t.logs.text()).not.toContain('legacy-server-key');
  });
});
