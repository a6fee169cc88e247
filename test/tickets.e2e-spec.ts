import { createTestApp, DATABASE_KINDS, describeOn, type TestApp } from './support/app';
import { adminToken, discordMemberToken } from './support/users';

for (const kind of DATABASE_KINDS)
  describeOn(kind)(`tickets over REST on ${kind}`, () => {
    let t: TestApp;
    let alice: string;
    let bob: string;
    let mod: string;
    let admin: string;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const open = async (token: string, subject = 'Cannot log in') =>
      (
        await t
          .http()
          .post('/api/tickets')
          .set(as(token))
          .send({
            type: 'Support',
            subject,
            description: 'It says my password is wrong every time.',
          })
          .expect(201)
      ).body as { ticket_id: string; ticket_num: number };

    beforeAll(async () => {
      t = await createTestApp({ database: kind, env: { TICKET_COOLDOWN_MINUTES: '0' } });
      alice = await discordMemberToken(t, '800000000000000001');
      bob = await discordMemberToken(t, '800000000000000002');
      mod = await discordMemberToken(t, '800000000000000003', 'moderator');
      admin = await adminToken(t);
    });
    afterAll(() => t.close());

    it('creates a ticket with 201 and an increasing number', async () => {
      const res = await t
        .http()
        .post('/api/tickets')
        .set(as(alice))
        .send({
          type: 'Bug',
          subject: 'Crash on start',
          description: 'The app closes right after the splash screen.',
        })
        .expect(201);
      expect(res.body).toEqual({
        success: true,
        ticket_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ticket_num: expect.any(Number),
        channel_id: null,
        message: `Ticket #${res.body.ticket_num} created successfully!`,
      });
      const next = await open(alice);
      expect(next.ticket_num).toBe(res.body.ticket_num + 1);
    });

    it('numbers tickets created at the same time without gaps or repeats', async () => {
      const before = await open(alice, 'Counter');
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) => open(mod, `Concurrent ${i}`)),
      );
      const numbers = created.map((c) => c.ticket_num).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => before.ticket_num + 1 + i));
    });

    it('validates new tickets', async () => {
      const res = await t
        .http()
        .post('/api/tickets')
        .set(as(alice))
        .send({ type: 'Gossip', subject: 'Hi', description: 'short' })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'description',
        'subject',
      ]);
      const type = await t
        .http()
        .post('/api/tickets')
        .set(as(alice))
        .send({ type: 'Gossip', subject: 'Hello there', description: 'A long enough description.' })
        .expect(400);
      expect(type.body.error).toBe(
        'Invalid ticket type. Must be one of: Application, Bug, Support',
      );
    });

    it("hides a member's ticket from another member, by every route", async () => {
      const { ticket_id: id } = await open(alice, 'Private matter');
      const other = as(bob);
      await t.http().get(`/api/tickets/${id}`).set(other).expect(404);
      await t.http().get(`/api/tickets/${id}/messages`).set(other).expect(404);
      await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(other)
        .send({ content: 'hi' })
        .expect(404);
      await t.http().post(`/api/tickets/${id}/send`).set(other).send({ message: 'hi' }).expect(404);
      await t.http().post(`/api/tickets/${id}/mark-read`).set(other).expect(404);
      await t
        .http()
        .post(`/api/tickets/${id}/close`)
        .set(other)
        .send({ close_message: '' })
        .expect(404);
      await t.http().post(`/api/tickets/${id}/reopen`).set(other).expect(404);
      await t.http().put(`/api/tickets/${id}`).set(other).send({ status: 'closed' }).expect(404);
      await t.http().post(`/api/tickets/${id}/claim`).set(other).send({}).expect(403);
      await t.http().delete(`/api/tickets/${id}`).set(other).expect(403);
      // Walking ids reveals nothing: an unknown id answers the same.
      const unknown = await t
        .http()
        .get('/api/tickets/00000000-0000-4000-8000-000000000000')
        .set(other)
        .expect(404);
      const hidden = await t.http().get(`/api/tickets/${id}`).set(other).expect(404);
      expect(hidden.body).toEqual(unknown.body);

      const list = await t.http().get('/api/tickets?status=all').set(other).expect(200);
      expect(list.body.tickets.map((x: { ticket_id: string }) => x.ticket_id)).not.toContain(id);
      await t.http().get(`/api/tickets/${id}`).set(as(alice)).expect(200);
    });

    it('lets staff see and act on every ticket, by permission', async () => {
      const { ticket_id: id } = await open(alice, 'Needs staff');
      const all = await t.http().get('/api/tickets').set(as(mod)).expect(200);
      expect(all.body.tickets.map((x: { ticket_id: string }) => x.ticket_id)).toContain(id);
      // The app sends its own Discord id; without one the contract says 400.
      expect(
        (await t.http().post(`/api/tickets/${id}/claim`).set(as(mod)).send({}).expect(400)).body
          .error,
      ).toBe('user_id required');
      await t
        .http()
        .post(`/api/tickets/${id}/claim`)
        .set(as(mod))
        .send({ user_id: '800000000000000003' })
        .expect(200, { success: true, message: 'Ticket claimed successfully' });
      const claimed = await t.http().get(`/api/tickets/${id}`).set(as(alice)).expect(200);
      expect(claimed.body).toMatchObject({ status: 'Claimed', claimed_by: '800000000000000003' });
      expect(
        (
          await t
            .http()
            .post(`/api/tickets/${id}/claim`)
            .set(as(mod))
            .send({ user_id: '800000000000000003' })
            .expect(400)
        ).body.error,
      ).toBe('Ticket already claimed');
      await t
        .http()
        .post(`/api/tickets/${id}/assign`)
        .set(as(mod))
        .send({ assigned_to: '800000000000000099' })
        .expect(200);
      await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(mod))
        .send({ content: 'Looking into it' })
        .expect(200);
      await t.http().put(`/api/tickets/${id}`).set(as(alice)).send({ type: 'Bug' }).expect(403);
      await t.http().put(`/api/tickets/${id}`).set(as(mod)).send({ type: 'Bug' }).expect(200);
      await t.http().delete(`/api/tickets/${id}`).set(as(mod)).expect(403);
      await t.http().delete(`/api/tickets/${id}`).set(as(admin)).expect(200);
      await t.http().get(`/api/tickets/${id}`).set(as(admin)).expect(404);
    });

    it('closes and reopens at most three times, and keeps closed tickets quiet', async () => {
      const { ticket_id: id } = await open(alice, 'Reopen me');
      for (let i = 1; i <= 3; i += 1) {
        await t
          .http()
          .post(`/api/tickets/${id}/close`)
          .set(as(alice))
          .send({ close_message: 'fixed' })
          .expect(200);
        await t
          .http()
          .post(`/api/tickets/${id}/messages`)
          .set(as(alice))
          .send({ content: 'still?' })
          .expect(400);
        await t.http().post(`/api/tickets/${id}/reopen`).set(as(alice)).expect(200);
        expect((await t.http().get(`/api/tickets/${id}`).set(as(alice))).body).toMatchObject({
          status: 'Open',
          reopen_count: i,
        });
      }
      await t
        .http()
        .post(`/api/tickets/${id}/close`)
        .set(as(mod))
        .send({ close_message: '' })
        .expect(200);
      const refused = await t.http().post(`/api/tickets/${id}/reopen`).set(as(alice)).expect(400);
      expect(refused.body).toMatchObject({
        error: 'This ticket cannot be reopened more than 3 times',
        error_code: 'TICKET_REOPEN_LIMIT',
      });
      expect(
        (await t.http().post(`/api/tickets/${id}/close`).set(as(alice)).send({}).expect(400)).body
          .error,
      ).toBe('Ticket is already closed');
    });

    it('stores messages in order and counts unread ones per reader', async () => {
      const { ticket_id: id } = await open(alice, 'Chat');
      const posted = await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(alice))
        .send({ content: '  first  ' })
        .expect(200);
      expect(posted.body).toMatchObject({
        success: true,
        message: 'Message sent successfully',
        data: {
          author_id: '800000000000000001',
          content: 'first',
          display_content: 'first',
          is_admin: false,
          is_bot: false,
        },
      });
      await t
        .http()
        .post(`/api/tickets/${id}/send`)
        .set(as(mod))
        .send({ message: 'second' })
        .expect(200);
      await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(mod))
        .send({ content: 'third' })
        .expect(200);

      const messages = await t.http().get(`/api/tickets/${id}/messages`).set(as(alice)).expect(200);
      expect(messages.body.messages.map((m: { content: string }) => m.content)).toEqual([
        'first',
        'second',
        'third',
      ]);
      expect(messages.body.messages[1]).toMatchObject({
        is_admin: true,
        author_id: '800000000000000003',
      });

      const mine = await t.http().get('/api/tickets/my').set(as(alice)).expect(200);
      const entry = mine.body.tickets.find((x: { ticket_id: string }) => x.ticket_id === id);
      expect(entry).toMatchObject({
        unread_count: 2,
        last_message: 'third',
        initial_message:
          '**Subject:** Chat\n\n**Description:**\nIt says my password is wrong every time.',
      });
      await t
        .http()
        .post(`/api/tickets/${id}/mark-read`)
        .set(as(alice))
        .expect(200, { success: true });
      const after = await t.http().get('/api/tickets/my').set(as(alice)).expect(200);
      expect(
        after.body.tickets.find((x: { ticket_id: string }) => x.ticket_id === id).unread_count,
      ).toBe(0);
      const detail = await t.http().get(`/api/tickets/${id}`).set(as(mod)).expect(200);
      expect(detail.body.messages).toHaveLength(3);
    });

    it('filters by status and pages with a cap', async () => {
      const carol = await discordMemberToken(t, '800000000000000077');
      const mine = [await open(carol, 'One'), await open(carol, 'Two'), await open(carol, 'Three')];
      const closing = await open(carol, 'Four');
      await t
        .http()
        .post(`/api/tickets/${closing.ticket_id}/close`)
        .set(as(carol))
        .send({ close_message: '' })
        .expect(200);
      const page = (query: string) =>
        t.http().get(`/api/tickets/my?${query}`).set(as(carol)).expect(200);
      const first = await page('status=open&limit=2');
      expect(first.body).toMatchObject({ limit: 2, offset: 0, total: 3 });
      // Newest first.
      expect(first.body.tickets.map((x: { ticket_id: string }) => x.ticket_id)).toEqual([
        mine[2].ticket_id,
        mine[1].ticket_id,
      ]);
      expect(first.body.tickets.every((x: { status: string }) => x.status === 'Open')).toBe(true);
      const rest = await page('status=open&limit=2&offset=2');
      expect(rest.body.tickets.map((x: { ticket_id: string }) => x.ticket_id)).toEqual([
        mine[0].ticket_id,
      ]);
      // A short page, a full last page and a page past the end all say how many there are.
      expect(rest.body.total).toBe(3);
      expect((await page('status=open&limit=3')).body.total).toBe(3);
      expect((await page('status=open&limit=1&offset=2')).body.total).toBe(3);
      const past = await page('status=open&limit=2&offset=5');
      expect(past.body).toMatchObject({ tickets: [], total: 3 });
      const closed = await page('status=closed');
      expect(closed.body.tickets.map((x: { ticket_id: string }) => x.ticket_id)).toEqual([
        closing.ticket_id,
      ]);
      expect((await page('status=all')).body.total).toBe(4);
      await t.http().get('/api/tickets?limit=101').set(as(mod)).expect(400);
      await t.http().get('/api/tickets?status=weird').set(as(mod)).expect(400);
    });
  });

describe('ticket cooldown', () => {
  it('lets a member open one ticket per hour and staff as many as they need', async () => {
    const t = await createTestApp();
    try {
      const member = {
        Authorization: `Bearer ${await discordMemberToken(t, '810000000000000001')}`,
      };
      const staff = {
        Authorization: `Bearer ${await discordMemberToken(t, '810000000000000002', 'moderator')}`,
      };
      const body = {
        type: 'Support',
        subject: 'First one',
        description: 'A description long enough.',
      };
      await t.http().post('/api/tickets').set(member).send(body).expect(201);
      const second = await t.http().post('/api/tickets').set(member).send(body).expect(429);
      expect(second.body.error).toMatch(
        /^You can only create one ticket per hour\. Please wait \d+ minutes\.$/,
      );
      await t.http().post('/api/tickets').set(staff).send(body).expect(201);
      await t.http().post('/api/tickets').set(staff).send(body).expect(201);
    } finally {
      await t.close();
    }
  });
});
