import { OutboxService } from '../src/core/outbox';
import { OutboxMessage } from '../src/core/outbox/outbox-message.entity';
import { createTestApp, type TestApp } from './support/app';
import { type DiscordWorld, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { cleanEnv, ROOT, runToExit } from './support/process';
import { adminToken, discordMemberToken } from './support/users';

interface Listed {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

/** Messages that gave up during a Discord outage, found and delivered again by an operator. */
describe('outbox tools', () => {
  let world: DiscordWorld;
  let t: TestApp;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const failed = async (kind: string): Promise<Listed[]> =>
    (await t.http().get(`/api/admin/outbox?status=failed&kind=${kind}`).set(as(admin)).expect(200))
      .body.messages as Listed[];
  const ticketDuringOutage = async () => {
    world.discord.outage = true;
    const res = await t
      .http()
      .post('/api/tickets')
      .set(as(admin))
      .send({ type: 'Support', subject: 'Outage', description: 'Discord is down right now.' })
      .expect(201);
    const id = res.body.ticket_id as string;
    // Two attempts, both refused: the message gives up.
    const message = await eventually(async () => {
      const repo = t.dataSource.getRepository(OutboxMessage);
      for (const listed of await failed('discord.ticket-channel')) {
        const row = await repo.findOneByOrFail({ id: listed.id });
        if (row.payload.ticketId === id) return listed;
      }
      throw new Error('not failed yet');
    });
    world.discord.outage = false;
    return { ticketId: id, message };
  };
  const channelsOf = (ticketId: string) =>
    t.http().get(`/api/tickets/${ticketId}`).set(as(admin)).expect(200);

  beforeAll(async () => {
    world = await startDiscordWorld();
    t = await createTestApp({
      env: {
        ...world.env,
        TICKET_COOLDOWN_MINUTES: '0',
        OUTBOX_MAX_ATTEMPTS: '2',
        OUTBOX_RETRY_BASE_MS: '20',
      },
    });
    admin = await adminToken(t);
  });
  afterAll(async () => {
    await t?.close();
    await world?.stop();
  });

  it('lists a message that gave up, and delivers it once when queued again', async () => {
    const { ticketId, message } = await ticketDuringOutage();
    expect(message).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: expect.any(String),
    });
    expect((await channelsOf(ticketId)).body.channel_id).toBeNull();
    const created = world.discord.channels.size;

    const res = await t
      .http()
      .post(`/api/admin/outbox/${message.id}/retry`)
      .set(as(admin))
      .expect(200);
    expect(res.body).toMatchObject({
      success: true,
      message: { id: message.id, status: 'pending', attempts: 0 },
    });
    await eventually(async () =>
      expect((await channelsOf(ticketId)).body.channel_id).toEqual(expect.any(String)),
    );
    expect(world.discord.channels.size).toBe(created + 1);
    // Delivered: nothing left to queue again.
    const again = await t
      .http()
      .post(`/api/admin/outbox/${message.id}/retry`)
      .set(as(admin))
      .expect(409);
    expect(again.body.error_code).toBe('OUTBOX_MESSAGE_SENT');
  });

  it('queues every failed message of a kind again, through the API and the command', async () => {
    const first = await ticketDuringOutage();
    const second = await ticketDuringOutage();
    const listed = await runToExit(
      'npm',
      ['run', '--silent', 'outbox', '--', 'list', '--status', 'failed'],
      { cwd: ROOT, env: cleanEnv({ DATA_DIR: t.dataDir }) },
    );
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(first.message.id);
    expect(listed.stdout).toContain(second.message.id);

    const cli = await runToExit(
      'npm',
      ['run', '--silent', 'outbox', '--', 'retry', first.message.id],
      { cwd: ROOT, env: cleanEnv({ DATA_DIR: t.dataDir }) },
    );
    expect(cli.stdout).toContain(`queued ${first.message.id}`);
    expect(cli.code).toBe(0);
    const res = await t
      .http()
      .post('/api/admin/outbox/retry-failed?kind=discord.ticket-channel')
      .set(as(admin))
      .expect(200);
    expect(res.body).toEqual({ success: true, retried: 1 });
    for (const { ticketId } of [first, second])
      await eventually(async () =>
        expect((await channelsOf(ticketId)).body.channel_id).toEqual(expect.any(String)),
      );
    expect(await failed('discord.ticket-channel')).toEqual([]);
  });

  it('answers unknown ids, bad filters, bad commands and non-admins clearly', async () => {
    const unknown = await t
      .http()
      .post('/api/admin/outbox/no-such-id/retry')
      .set(as(admin))
      .expect(404);
    expect(unknown.body.error_code).toBe('OUTBOX_MESSAGE_NOT_FOUND');
    await t.http().get('/api/admin/outbox?status=lost').set(as(admin)).expect(400);
    const mod = await discordMemberToken(t, '965000000000000001', 'moderator');
    await t.http().get('/api/admin/outbox').set(as(mod)).expect(403);
    await t.http().post('/api/admin/outbox/retry-failed').set(as(mod)).expect(403);
    const usage = await runToExit('npm', ['run', '--silent', 'outbox', '--', 'resend'], {
      cwd: ROOT,
      env: cleanEnv({ DATA_DIR: t.dataDir }),
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run outbox');
  });

  it('deletes delivered and given-up messages past the retention, never pending ones', async () => {
    const outbox = t.app.get(OutboxService);
    const repo = t.dataSource.getRepository(OutboxMessage);
    const { total } = await outbox.list({ limit: 1, offset: 0 });
    const pending = await repo.countBy({ status: 'pending' });
    expect(await outbox.purge(new Date())).toBe(0);
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await outbox.purge(later)).toBe(total - pending);
    expect(await repo.count()).toBe(pending);
  });
});
