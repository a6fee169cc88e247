import type { Socket } from 'socket.io-client';
import { TicketsLifecycle } from '../src/tickets/tickets-lifecycle.service';
import { createTestApp, DATABASE_KINDS, describeOn, type TestApp } from './support/app';
import { settled } from './support/quiet';
import { connect, next } from './support/sockets';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

for (const kind of DATABASE_KINDS) {
  describeOn(kind)(`ticket rules on ${kind}`, () => {
    let t: TestApp;
    let admin: string;
    let mod: string;
    let modId: string;
    let n = 0;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const member = () => discordMemberToken(t, String(810000000000000000n + BigInt((n += 1))));
    const open = async (token: string, subject = 'Rules apply') =>
      (
        await t
          .http()
          .post('/api/tickets')
          .set(as(token))
          .send({ type: 'Support', subject, description: 'Something is not right here.' })
          .expect(201)
      ).body.ticket_id as string;
    const ticket = async (id: string) =>
      (await t.http().get(`/api/tickets/${id}`).set(as(admin)).expect(200)).body as Body;

    beforeAll(async () => {
      t = await createTestApp({
        database: kind,
        env: { TICKET_COOLDOWN_MINUTES: '30', TICKET_MAX_REOPENS: '2' },
      });
      admin = await adminToken(t);
      modId = '819999999999999999';
      mod = await discordMemberToken(t, modId, 'moderator');
    });
    afterAll(() => t.close());

    it('closes through PUT exactly as through close: timestamp, transcript, event, clean-up', async () => {
      const id = await open(await member());
      const socket = await connect(t, { token: admin });
      try {
        const history = next(socket, 'message_history');
        socket.emit('join_ticket', { ticket_id: id });
        await history;
        const closedEvent = next<Body>(socket, 'ticket_update');
        await t
          .http()
          .put(`/api/tickets/${id}`)
          .set(as(mod))
          .send({ status: 'Closed' })
          .expect(200);
        expect(await closedEvent).toMatchObject({ ticket_id: id, event_type: 'ticket_closed' });
      } finally {
        socket.close();
      }
      const closed = await ticket(id);
      expect(closed).toMatchObject({ status: 'Closed', closed_at: expect.any(String) });
      const transcript = await t.http().get(`/api/tickets/${id}/transcript`).set(as(admin));
      expect(transcript.status).toBe(200);
      expect(transcript.text).toContain('Rules apply');
      const again = await t
        .http()
        .post(`/api/tickets/${id}/close`)
        .set(as(mod))
        .send({ close_message: '' })
        .expect(400);
      expect(again.body.error).toBe('Ticket is already closed');

      const later = new Date(Date.now() + 8 * 86_400_000);
      await t.app.get(TicketsLifecycle).runOnce(later);
      await t.http().get(`/api/tickets/${id}`).set(as(admin)).expect(404);
    });

    it('routes PUT status, claimed_by and assigned_to through the transitions, all or nothing', async () => {
      const id = await open(await member());
      await t.http().put(`/api/tickets/${id}`).set(as(mod)).send({ status: 'claimed' }).expect(200);
      expect(await ticket(id)).toMatchObject({ status: 'Claimed', claimed_by: modId });

      const back = await t.http().put(`/api/tickets/${id}`).set(as(mod)).send({ status: 'open' });
      expect(back.status).toBe(409);
      expect(back.body.error_code).toBe('INVALID_TICKET_TRANSITION');
      const cleared = await t
        .http()
        .put(`/api/tickets/${id}`)
        .set(as(mod))
        .send({ claimed_by: null });
      expect(cleared.status).toBe(400);
      expect(cleared.body.error_code).toBe('UNSUPPORTED_TICKET_CHANGE');

      await t
        .http()
        .put(`/api/tickets/${id}`)
        .set(as(mod))
        .send({ assigned_to: '818888888888888888', status: 'closed' })
        .expect(200);
      expect(await ticket(id)).toMatchObject({
        status: 'Closed',
        assigned_to: '818888888888888888',
        claimed_by: modId,
      });
      // A change that cannot happen undoes the whole request: the type stays as it was.
      const refused = await t
        .http()
        .put(`/api/tickets/${id}`)
        .set(as(mod))
        .send({ type: 'Bug', status: 'closed' })
        .expect(400);
      expect(refused.body.error).toBe('Ticket is already closed');
      expect((await ticket(id)).type).toBe('Support');

      await t.http().put(`/api/tickets/${id}`).set(as(mod)).send({ status: 'open' }).expect(200);
      expect(await ticket(id)).toMatchObject({
        status: 'Open',
        reopen_count: 1,
        claimed_by: null,
        assigned_to: null,
      });
    });

    it('refuses blank messages and stores trimmed ones, with one role in every view', async () => {
      const id = await open(await member());
      const blank = await t
        .http()
        .post(`/api/tickets/${id}/messages`)
        .set(as(mod))
        .send({ content: ' \n\t ' })
        .expect(400);
      expect(blank.body.error).toBe('Message content required');
      const socket = await connect(t, { token: admin });
      try {
        const history = next(socket, 'message_history');
        socket.emit('join_ticket', { ticket_id: id });
        await history;
        const live = next<{ message: Body }>(socket, 'new_message');
        const sent = await t
          .http()
          .post(`/api/tickets/${id}/send`)
          .set(as(mod))
          .send({ message: '  On it.  ' })
          .expect(200);
        expect(sent.body.message).toMatchObject({ content: 'On it.', role: 'moderator' });
        expect((await live).message).toMatchObject({ content: 'On it.', role: 'moderator' });
        const listed = await t.http().get(`/api/tickets/${id}/messages`).set(as(admin)).expect(200);
        expect(listed.body.messages).toEqual([
          expect.objectContaining({ content: 'On it.', role: 'moderator', is_admin: true }),
        ]);
        const rejoined = next<{ messages: Body[] }>(socket, 'message_history');
        socket.emit('join_ticket', { ticket_id: id });
        expect((await rejoined).messages).toEqual([
          expect.objectContaining({ content: 'On it.', role: 'moderator' }),
        ]);
      } finally {
        socket.close();
      }
    });

    it('lets only one of concurrent opens by a member pass the cooldown, with the setting in its text', async () => {
      const token = await member();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t
            .http()
            .post('/api/tickets')
            .set(as(token))
            .send({
              type: 'Support',
              subject: `At once ${i}`,
              description: 'Eight at the same time.',
            }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 429, 429, 429, 429, 429, 429, 429]);
      const refused = answers.find((a) => a.status === 429);
      expect(refused?.body.error).toMatch(
        /^You can only create one ticket every 30 minutes\. Please wait (29|30) minutes\.$/,
      );
    });

    it('lets only one of concurrent claims win, and only up to TICKET_MAX_REOPENS reopens', async () => {
      const id = await open(await member());
      const staff = await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          const discordId = String(817000000000000000n + BigInt(i));
          return discordMemberToken(t, discordId, 'moderator').then((token) => ({
            token,
            discordId,
          }));
        }),
      );
      const claims = await Promise.all(
        staff.map(({ token, discordId }) =>
          t.http().post(`/api/tickets/${id}/claim`).set(as(token)).send({ user_id: discordId }),
        ),
      );
      expect(claims.map((c) => c.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
      const winner = staff[claims.findIndex((c) => c.status === 200)].discordId;
      expect((await ticket(id)).claimed_by).toBe(winner);

      for (let round = 1; round <= 3; round += 1) {
        await t
          .http()
          .post(`/api/tickets/${id}/close`)
          .set(as(mod))
          .send({ close_message: '' })
          .expect(200);
        const reopens = await Promise.all(
          Array.from({ length: 5 }, () => t.http().post(`/api/tickets/${id}/reopen`).set(as(mod))),
        );
        const ok = reopens.filter((r) => r.status === 200).length;
        expect(ok).toBe(round <= 2 ? 1 : 0);
        if (round > 2) {
          expect(reopens[0].body.error).toBe('This ticket cannot be reopened more than 2 times');
        }
      }
      expect((await ticket(id)).reopen_count).toBe(2);
    });

    it('claims for another user only when they may manage tickets', async () => {
      const id = await open(await member());
      const memberId = String(810000000000000000n + BigInt(n));
      const notStaff = await t
        .http()
        .post(`/api/tickets/${id}/claim`)
        .set(as(mod))
        .send({ user_id: memberId })
        .expect(400);
      expect(notStaff.body.error).toBe('Not authorized');
      const unknown = await t
        .http()
        .post(`/api/tickets/${id}/claim`)
        .set(as(mod))
        .send({ user_id: '812345678901234567' })
        .expect(400);
      expect(unknown.body.error).toBe('User not found in guild');
      expect((await ticket(id)).status).toBe('Open');
    });
  });
}

describe('the socket session sweep', () => {
  it('keeps sockets connected when the database cannot answer, and drops ended sessions after', async () => {
    const t = await createTestApp({ env: { SOCKET_SESSION_CHECK_MS: '50' } });
    const sockets: Socket[] = [];
    try {
      const keep = await discordMemberToken(t, '830000000000000001');
      const end = await discordMemberToken(t, '830000000000000002');
      sockets.push(await connect(t, { token: keep }), await connect(t, { token: end }));
      await t.dataSource.query('ALTER TABLE sessions RENAME TO sessions_away');
      const failures = () =>
        t.logs.lines.filter((line) => line.includes('Socket session sweep failed')).length;
      await waitForLog(t, 'Socket session sweep failed; sockets stay connected');
      // Sweeps go on failing every 50 ms; the failure is logged once.
      expect(await settled(failures)).toBe(1);
      await t.dataSource.query('ALTER TABLE sessions_away RENAME TO sessions');
      await waitForLog(t, 'Socket session sweep works again');
      expect(sockets.map((s) => s.connected)).toEqual([true, true]);

      const dropped = new Promise<string>((resolve) => sockets[1].once('disconnect', resolve));
      await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${end}`).expect(200);
      expect(await dropped).toBe('io server disconnect');
      expect(sockets[0].connected).toBe(true);
    } finally {
      for (const socket of sockets) socket.close();
      await t.close();
    }
  });
});

async function waitForLog(t: TestApp, text: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!t.logs.text().includes(text)) {
    if (Date.now() > deadline)
      throw new Error(
        `no log line with "${text}"; last lines:\n${t.logs.lines.slice(-5).join('\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
