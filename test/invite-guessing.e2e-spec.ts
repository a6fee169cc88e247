import { InvitesService } from '../src/invites/invites.service';
import { createTestApp, redisUrl, sharedRedis, type TestApp } from './support/app';
import { member, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';
import { ALL_INVITE_SCOPES, partnerKey } from './support/users';

const LIMITS = {
  INVITES_FAILED_REDEEM_LIMIT: '3',
  INVITES_FAILED_REDEEM_WINDOW: '10m',
  TRUST_PROXY: 'true',
};

async function newCode(t: TestApp, code: string, maxUses: number): Promise<void> {
  await t.app
    .get(InvitesService)
    .create({ code, cohort: 'BC1', maxUses, source: 'manual', createdBy: null });
}

const usedCount = async (t: TestApp, code: string) =>
  (await t.app.get(InvitesService).get(code)).usedCount;

describe('guessing invite codes', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  beforeAll(async () => {
    t = await createTestApp({ env: LIMITS });
    key = await partnerKey(t, ALL_INVITE_SCOPES, 'Guesser');
    otherKey = await partnerKey(t, ALL_INVITE_SCOPES, 'Other partner');
  });
  afterAll(() => t.close());

  const redeem = (apiKey: string, code: string, memberId: string, address: string) =>
    t
      .http()
      .post('/api/invites/redeem')
      .set('X-API-Key', apiKey)
      .set('X-Forwarded-For', address)
      .send({ code, discord_user_id: memberId });

  it('answers 429 with Retry-After once a key, a member or an address tried too many unknown codes', async () => {
    await newCode(t, 'REAL-CODE-1', 10);
    for (let i = 0; i < 3; i += 1)
      await redeem(key, `GUESS-${i}`, '180000000000000001', '198.51.100.1').expect(404);

    // The key, the member and the address are each spent now, also for a code that exists.
    const refused = await redeem(key, 'REAL-CODE-1', '180000000000000001', '198.51.100.1').expect(
      429,
    );
    expect(refused.body).toEqual({
      error: 'Too many unknown invite codes; try again later',
      code: 429,
      error_code: 'TOO_MANY_FAILED_REDEMPTIONS',
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(9 * 60);
    expect(retryAfter).toBeLessThanOrEqual(10 * 60);
    // The key alone (another member, another address), the member alone, the address alone.
    await redeem(key, 'REAL-CODE-1', '180000000000000002', '198.51.100.2').expect(429);
    await redeem(otherKey, 'REAL-CODE-1', '180000000000000001', '198.51.100.3').expect(429);
    await redeem(otherKey, 'REAL-CODE-1', '180000000000000004', '198.51.100.1').expect(429);
    expect(await usedCount(t, 'REAL-CODE-1')).toBe(0);

    // Someone else entirely is not slowed.
    await redeem(otherKey, 'REAL-CODE-1', '180000000000000005', '198.51.100.5').expect(200);
    expect(await usedCount(t, 'REAL-CODE-1')).toBe(1);
  });

  it('never counts successful redemptions, or codes that exist but are used up', async () => {
    await newCode(t, 'REAL-CODE-2', 20);
    await newCode(t, 'TINY-CODE', 1);
    for (let i = 0; i < 20; i += 1)
      await redeem(
        otherKey,
        'REAL-CODE-2',
        String(181000000000000000n + BigInt(i)),
        '203.0.113.9',
      ).expect(200);
    for (let i = 0; i < 5; i += 1)
      await redeem(
        otherKey,
        'TINY-CODE',
        String(182000000000000000n + BigInt(i)),
        '203.0.113.9',
      ).expect(i === 0 ? 200 : 410);
    expect(await usedCount(t, 'REAL-CODE-2')).toBe(20);
  });
});

describe('guessing invite codes with /invitecode', () => {
  it('spends the same budget per member as the API, and answers in Discord', async () => {
    const world = await startDiscordWorld();
    const t = await createTestApp({ env: { ...world.env, ...LIMITS } });
    try {
      await newCode(t, 'REAL-CODE-3', 5);
      const guesser = member(31);
      const reply = async (code: string) => {
        const token = world.gateway.slashCommand('invitecode', { code }, guesser);
        return (await eventually(() => world.discord.answerTo(token))).content;
      };
      for (let i = 0; i < 3; i += 1) expect(await reply(`NOPE-${i}`)).toBe('Invite code not found');
      expect(await reply('REAL-CODE-3')).toBe('Too many unknown invite codes; try again later');
      expect(await usedCount(t, 'REAL-CODE-3')).toBe(0);
      // The API refuses the same member too.
      const key = await partnerKey(t, ALL_INVITE_SCOPES);
      await t
        .http()
        .post('/api/invites/redeem')
        .set('X-API-Key', key)
        .set('X-Forwarded-For', '192.0.2.77')
        .send({ code: 'REAL-CODE-3', discord_user_id: guesser.id })
        .expect(429);
    } finally {
      await t.close();
      await world.stop();
    }
  });
});

(redisUrl ? describe : describe.skip)(
  'guessing invite codes on two instances sharing Redis',
  () => {
    it('holds one budget across instances', async () => {
      const redis = sharedRedis();
      const a = await createTestApp({ env: { ...LIMITS, ...redis } });
      const b = await createTestApp({ env: { ...LIMITS, ...redis } });
      try {
        const keyA = await partnerKey(a, ALL_INVITE_SCOPES);
        const keyB = await partnerKey(b, ALL_INVITE_SCOPES);
        const on = (t: TestApp, apiKey: string, code: string) =>
          t
            .http()
            .post('/api/invites/redeem')
            .set('X-API-Key', apiKey)
            .set('X-Forwarded-For', '192.0.2.200')
            .send({ code, discord_user_id: '183000000000000001' });
        await on(a, keyA, 'GUESS-A1').expect(404);
        await on(b, keyB, 'GUESS-B1').expect(404);
        await on(a, keyA, 'GUESS-A2').expect(404);
        await on(b, keyB, 'GUESS-B2').expect(429);
      } finally {
        await b.close();
        await a.close();
      }
    });
  },
);
