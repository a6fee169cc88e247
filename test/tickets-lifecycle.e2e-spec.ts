import { OutboxService } from '../src/core/outbox';
import { Ticket } from '../src/tickets/ticket.entity';
import { TicketsLifecycle } from '../src/tickets/tickets-lifecycle.service';
import { createTestApp, type TestApp } from './support/app';
import { eventually } from './support/eventually';
import { TestSmtpServer } from './support/smtp';
import { adminToken, discordMemberToken } from './support/users';

describe('ticket lifecycle', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let member: string;
  let staff: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const open = async (subject: string) =>
    (
      await t
        .http()
        .post('/api/tickets')
        .set(as(member))
        .send({ type: 'Support', subject, description: 'Something <b>broke</b> & stayed broken.' })
        .expect(201)
    ).body.ticket_id as string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await createTestApp({
      env: {
        TICKET_COOLDOWN_MINUTES: '0',
        TICKET_AUTO_CLOSE_HOURS: '48',
        TICKET_DELETE_AFTER_DAYS: '7',
        TICKET_JOB_INTERVAL_MS: '0',
        EMAIL_ENABLED: 'true',
        SMTP_SERVER: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SUPPORT_EMAIL: 'support@example.com',
        OUTBOX_POLL_MS: '50',
      },
    });
    member = await discordMemberToken(t, '950000000000000001');
    staff = await discordMemberToken(t, '950000000000000002', 'moderator');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('writes a transcript on close, keeps it with the ticket and e-mails it to SUPPORT_EMAIL', async () => {
    const id = await open('Transcript please');
    await t
      .http()
      .post(`/api/tickets/${id}/messages`)
      .set(as(member))
      .send({ content: 'Hello <script>' })
      .expect(200);
    await t
      .http()
      .post(`/api/tickets/${id}/messages`)
      .set(as(staff))
      .send({ content: 'Fixed it' })
      .expect(200);
    await t.http().get(`/api/tickets/${id}/transcript`).set(as(member)).expect(400);
    await t
      .http()
      .post(`/api/tickets/${id}/close`)
      .set(as(staff))
      .send({ close_message: 'Solved' })
      .expect(200);

    const text = await t.http().get(`/api/tickets/${id}/transcript`).set(as(member)).expect(200);
    expect(text.headers['content-type']).toContain('text/plain');
    expect(text.text).toMatch(/Ticket #\d+ \(Support\): Transcript please/);
    expect(text.text).toContain('Closed at');
    expect(text.text).toMatch(/member0001: Hello <script>\n.*\(staff\): Fixed it/);
    const html = await t
      .http()
      .get(`/api/tickets/${id}/transcript?format=html`)
      .set(as(member))
      .expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('Hello &lt;script&gt;');
    expect(html.text).not.toContain('<script>');

    await eventually(() => expect(smtp.mails).toHaveLength(1));
    expect(smtp.mails[0].to).toEqual(['support@example.com']);
    expect(smtp.mails[0].subject).toMatch(/^Ticket #\d+ closed: Transcript please$/);
  });

  it('closes tickets idle past TICKET_AUTO_CLOSE_HOURS and deletes tickets closed past TICKET_DELETE_AFTER_DAYS', async () => {
    const idle = await open('Idle one');
    const busy = await open('Busy one');
    const job = t.app.get(TicketsLifecycle);
    const later = new Date(Date.now() + 49 * 3_600_000);
    // A message just before the cut-off keeps a ticket open.
    await t
      .http()
      .post(`/api/tickets/${busy}/messages`)
      .set(as(member))
      .send({ content: 'still here' })
      .expect(200);
    const repo = t.dataSource.getRepository(Ticket);
    await t.dataSource.query(`UPDATE ticket_messages SET created_at = ? WHERE ticket_id = ?`, [
      new Date(later.getTime() - 3_600_000).toISOString().replace('T', ' ').slice(0, 23),
      busy,
    ]);

    // Only the idle ticket: the other one was written in, and the first test's is closed already.
    expect(await job.runOnce(later)).toEqual({ closed: 1, deleted: 0 });
    expect((await repo.findOneByOrFail({ id: idle })).status).toBe('closed');
    expect((await repo.findOneByOrFail({ id: idle })).closeReason).toBe(
      'Closed automatically after 48 hours without activity',
    );
    expect((await repo.findOneByOrFail({ id: busy })).status).toBe('open');

    const result = await job.runOnce(new Date(later.getTime() + 8 * 86_400_000));
    // Eight days on, the busy ticket is idle too and closes; it and the two closed before it are
    // older than TICKET_DELETE_AFTER_DAYS at that moment and go.
    expect(result).toEqual({ closed: 1, deleted: 3 });
    expect(await repo.findOneBy({ id: idle })).toBeNull();
    await t.http().get(`/api/tickets/${idle}`).set(as(member)).expect(404);
  });

  describe('with the tickets settings changed by an admin', () => {
    let admin: string;
    const settings = (body: Record<string, unknown>) =>
      t.http().put('/api/config/tickets').set(as(admin)).send(body).expect(200);
    beforeAll(async () => {
      admin = await adminToken(t);
    });
    afterAll(async () => {
      await t.http().post('/api/config/tickets/reset').set(as(admin)).expect(200);
    });

    it('e-mails transcripts to transcript_email_address, or not at all', async () => {
      const mailed = (subject: string) => smtp.mails.filter((m) => m.subject.endsWith(subject));
      await settings({ transcript_email_address: 'tickets@example.com' });
      const id = await open('Mail elsewhere');
      await t.http().post(`/api/tickets/${id}/close`).set(as(staff)).send({}).expect(200);
      await eventually(() => expect(mailed('Mail elsewhere')).toHaveLength(1));
      expect(mailed('Mail elsewhere')[0].to).toEqual(['tickets@example.com']);

      await settings({ send_transcript_email: false });
      const quiet = await open('No mail');
      await t.http().post(`/api/tickets/${quiet}/close`).set(as(staff)).send({}).expect(200);
      await t.app.get(OutboxService).drain();
      expect(mailed('No mail')).toHaveLength(0);
    });

    it('enabled and max_open_per_user limit members, not staff', async () => {
      await settings({ enabled: false });
      const refused = await t
        .http()
        .post('/api/tickets')
        .set(as(member))
        .send({ type: 'Support', subject: 'Closed shop', description: 'Can I open one?' })
        .expect(403);
      expect(refused.body).toMatchObject({
        error: 'Ticket creation is disabled',
        error_code: 'TICKETS_DISABLED',
      });
      await t
        .http()
        .post('/api/tickets')
        .set(as(staff))
        .send({ type: 'Support', subject: 'Staff may', description: 'Opened by staff.' })
        .expect(201);
      await settings({ enabled: true, max_open_per_user: 1 });
      const other = await discordMemberToken(t, '950000000000000003');
      const first = await t
        .http()
        .post('/api/tickets')
        .set(as(other))
        .send({ type: 'Support', subject: 'One', description: 'The first one.' })
        .expect(201);
      const second = await t
        .http()
        .post('/api/tickets')
        .set(as(other))
        .send({ type: 'Support', subject: 'Two', description: 'The second one.' })
        .expect(429);
      expect(second.body.error_code).toBe('TOO_MANY_OPEN_TICKETS');
      await t
        .http()
        .post(`/api/tickets/${first.body.ticket_id}/close`)
        .set(as(other))
        .send({})
        .expect(200);
      await t
        .http()
        .post('/api/tickets')
        .set(as(other))
        .send({ type: 'Support', subject: 'Two', description: 'Now it fits.' })
        .expect(201);
    });

    it('require_claim keeps staff from writing in an unclaimed ticket', async () => {
      await settings({ require_claim: true, max_open_per_user: 0 });
      const id = await open('Claim first');
      const refused = await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(staff))
        .send({ content: 'Hello' })
        .expect(400);
      expect(refused.body.error_code).toBe('TICKET_NOT_CLAIMED');
      await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(member))
        .send({ content: 'The member may' })
        .expect(200);
      await t
        .http()
        .post(`/api/tickets/${id}/claim`)
        .set(as(staff))
        .send({ user_id: '950000000000000002' })
        .expect(200);
      await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(staff))
        .send({ content: 'Hello' })
        .expect(200);
    });

    it('auto_close_hours drives the clean-up job', async () => {
      await settings({ require_claim: false, auto_close_hours: 0 });
      const id = await open('Never auto-closed');
      const job = t.app.get(TicketsLifecycle);
      expect((await job.runOnce(new Date(Date.now() + 1000 * 3_600_000))).closed).toBe(0);
      await settings({ auto_close_hours: 1 });
      expect((await job.runOnce(new Date(Date.now() + 2 * 3_600_000))).closed).toBeGreaterThan(0);
      const ticket = await t.http().get(`/api/tickets/${id}`).set(as(member)).expect(200);
      expect(ticket.body.status).toBe('Closed');
    });
  });
});
