import { RankCheck } from '../src/rocket-league/rank-check.service';
import { createTestApp, type TestApp } from './support/app';
import {
  type DiscordWorld,
  IDS,
  member as guildMember,
  startDiscordWorld,
} from './support/discord-world';
import { eventually } from './support/eventually';
import { FakeFlareSolverr, FakeTracker } from './support/fake-tracker';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

const MEMBER_ID = '990000000000000001';

describe('Rocket League', () => {
  let tracker: FakeTracker;
  let world: DiscordWorld;
  let t: TestApp;
  let admin: string;
  let member: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    tracker = await new FakeTracker().start();
    world = await startDiscordWorld();
    t = await createTestApp({ env: { ...world.env, ROCKET_API_BASE: tracker.base } });
    admin = await adminToken(t);
    member = await discordMemberToken(t, MEMBER_ID);
  });
  afterAll(async () => {
    await t?.close();
    await world?.stop();
    await tracker?.stop();
  });

  it("answers a player's ranks in the app's and the API document's shapes, then from the cache", async () => {
    const res = await t
      .http()
      .get('/api/rocket-league/stats/epic/Rocketeer')
      .set(as(member))
      .expect(200);
    expect(res.body).toMatchObject({
      success: true,
      cached: false,
      username: 'Rocketeer',
      platform: 'epic',
      ranks: { '1v1': { tier: 'Diamond II', division: 'Division III' } },
      stats: {
        username: 'Rocketeer',
        platform: 'EPIC',
        rank_1v1: '<:d2:1425389867197665361> Division III',
        rank_4v4: '<:unranked:1425389712276721725> Unranked',
        season_reward: '<:c1:1425389889796706374> Champion I',
        highest_icon_url: 'https://trackercdn.com/cdn/s4-16.png',
        tier_names: { '2v2': 'Champion I', '4v4': 'Unranked' },
      },
    });
    expect(Object.keys(res.body.stats.icon_urls as Body).sort()).toEqual(['1v1', '2v2', '3v3']);
    const again = await t
      .http()
      .get('/api/rocket-league/stats/EPIC/rocketeer')
      .set(as(member))
      .expect(200);
    expect(again.body.cached).toBe(true);
    expect(tracker.hits.get('epic:rocketeer')).toBe(1);
    const bad = await t
      .http()
      .get('/api/rocket-league/stats/nintendo/x')
      .set(as(member))
      .expect(400);
    expect(bad.body.error).toBe('Invalid platform. Use: steam, epic, psn, xbl, or switch');
    const ghost = await t
      .http()
      .get('/api/rocket-league/stats/steam/ghost')
      .set(as(member))
      .expect(404);
    expect(ghost.body.error).toBe('Player not found or error fetching stats');
    await t.http().get('/api/rocket-league/stats/epic/Rocketeer').expect(401);
  });

  it('links a member after the tracker confirmed the player, once', async () => {
    const link = (body: Body) =>
      t.http().post('/api/user/rocket-league/link').set(as(member)).send(body);
    expect((await link({ platform: 'epic' }).expect(400)).body.error).toBe(
      'Platform and username are required',
    );
    expect((await link({ platform: 'epic', username: 'ghost' }).expect(404)).body.error).toBe(
      'Player not found. Please check your platform and username.',
    );
    const linked = await link({ platform: 'epic', username: 'rocketeer' }).expect(200);
    expect(linked.body).toMatchObject({
      success: true,
      message: 'Successfully linked Rocket League account: Rocketeer',
      account: { platform: 'epic', username: 'rocketeer', ranks: { '1v1': 'Diamond II' } },
    });
    expect((await link({ platform: 'epic', username: 'rocketeer' }).expect(400)).body.error).toBe(
      'You already have a Rocket League account linked. Unlink it first.',
    );
    const account = await t
      .http()
      .get('/api/user/rocket-league/account')
      .set(as(member))
      .expect(200);
    expect(account.body).toMatchObject({
      linked: true,
      account: { platform: 'epic', username: 'rocketeer' },
    });
    const password = await t
      .http()
      .get('/api/user/rocket-league/account')
      .set(as(admin))
      .expect(400);
    expect(password.body.error).toBe('Discord ID not available');
  });

  it('lists linked accounts for staff with every field the app reads', async () => {
    const res = await t.http().get('/api/rocket-league/accounts').set(as(admin)).expect(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        user_id: MEMBER_ID,
        username: expect.any(String),
        display_name: expect.any(String),
        platform: 'epic',
        rl_username: 'rocketeer',
        rank_display: expect.objectContaining({
          '1v1': expect.any(String),
          '2v2': expect.any(String),
          '3v3': expect.any(String),
        }),
        icon_urls: expect.any(Object),
        last_fetched: expect.any(String),
      }),
    ]);
    await t.http().get('/api/rocket-league/accounts').set(as(member)).expect(403);
  });

  it("posts the caller's stats to the Rocket League channel", async () => {
    const unset = await t
      .http()
      .post('/api/user/rocket-league/post-stats')
      .set(as(member))
      .send({})
      .expect(400);
    expect(unset.body).toMatchObject({
      success: false,
      message: 'Rocket League channel not configured',
    });
    await t
      .http()
      .put('/api/config/channels')
      .set(as(admin))
      .send({ rl_channel_id: IDS.chat })
      .expect(200);
    const posted = await t
      .http()
      .post('/api/user/rocket-league/post-stats')
      .set(as(member))
      .send({})
      .expect(200);
    expect(posted.body).toMatchObject({
      success: true,
      message: 'Stats posted successfully',
      status: 'sent',
      message_id: expect.stringMatching(/^\d+$/),
    });
    await eventually(() => {
      const post = (world.discord.messages.get(IDS.chat) ?? []).at(-1);
      expect(post?.embeds?.[0]).toMatchObject({ title: '🚀 Rocket League stats: Rocketeer' });
    });
  });

  it('posts a promotion when a rank rises, on demand and on schedule, once', async () => {
    const promotions = () =>
      (world.discord.messages.get(IDS.chat) ?? []).filter((m) =>
        m.content.includes('Rank Promotion'),
      );
    tracker.twos.set('epic:rocketeer', 'Champion II');
    const res = await t.http().post('/api/rocket-league/check-ranks').set(as(admin)).expect(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Rank check completed successfully',
      note: '1 account(s) checked, 1 promotion(s), 0 failed',
    });
    await eventually(() => expect(promotions()).toHaveLength(1));
    expect(promotions()[0]).toMatchObject({
      content: `<@${MEMBER_ID}> 🚀 Rank Promotion Notification!`,
      embeds: [
        expect.objectContaining({
          title: '🎉 Rank Promotion! 🎉',
          description: `Congratulations <@${MEMBER_ID}>! Your 2v2 rank has improved to <:c2:1425389901670776842> Champion II!`,
        }),
      ],
    });
    const account = await t
      .http()
      .get('/api/user/rocket-league/account')
      .set(as(member))
      .expect(200);
    expect(account.body.account.ranks['2v2']).toBe('Champion II');
    // Nothing rose since: no second post.
    const again = await t.http().post('/api/rocket-league/check-ranks').set(as(admin)).expect(200);
    expect(again.body.note).toBe('1 account(s) checked, 0 promotion(s), 0 failed');

    // The schedule: once the interval has passed, the check runs by itself.
    tracker.twos.set('epic:rocketeer', 'Champion III');
    const job = t.app.get(RankCheck);
    await job.tick(Date.now());
    expect(promotions()).toHaveLength(1);
    await job.tick(Date.now() + 3 * 3_600_000 + 1000);
    await eventually(() => expect(promotions()).toHaveLength(2));
    expect(promotions()[1].embeds?.[0]).toMatchObject({
      description: expect.stringContaining('Champion III'),
    });
    await t.http().post('/api/rocket-league/check-ranks').set(as(member)).expect(403);
  });

  it('unlinks: the member themself, or staff by Discord id', async () => {
    await t.http().delete('/api/user/rocket-league/unlink').set(as(member)).expect(200);
    const again = await t
      .http()
      .delete('/api/user/rocket-league/unlink')
      .set(as(member))
      .expect(404);
    expect(again.body.error).toBe('No Rocket League account linked');
    await t
      .http()
      .post('/api/user/rocket-league/link')
      .set(as(member))
      .send({ platform: 'epic', username: 'rocketeer' })
      .expect(200);
    const removed = await t
      .http()
      .delete(`/api/rocket-league/accounts/${MEMBER_ID}`)
      .set(as(admin))
      .expect(200);
    expect(removed.body.message).toBe(
      `Successfully unlinked account for user ${MEMBER_ID} (RL: rocketeer)`,
    );
    await t.http().delete(`/api/rocket-league/accounts/${MEMBER_ID}`).set(as(admin)).expect(404);
  });

  it('answers /rlstats, /rllink and /rlunlink', async () => {
    const who = guildMember(7);
    const answer = (token: string) => eventually(() => world.discord.answerTo(token));
    const stats = await answer(
      world.gateway.slashCommand('rlstats', { platform: 'epic', username: 'rocketeer' }, who),
    );
    expect(stats.embeds?.[0]).toMatchObject({ title: '🚀 Rocketeer (EPIC)' });
    const linked = await answer(
      world.gateway.slashCommand('rllink', { platform: 'epic', username: 'rocketeer' }, who),
    );
    expect(linked.content).toBe('Successfully linked Rocket League account: Rocketeer');
    const twice = await answer(
      world.gateway.slashCommand('rllink', { platform: 'epic', username: 'rocketeer' }, who),
    );
    expect(twice.content).toBe('You already have a Rocket League account linked. Unlink it first.');
    const unlinked = await answer(world.gateway.slashCommand('rlunlink', {}, who));
    expect(unlinked.content).toBe('Unlinked Rocket League account rocketeer');
  });

  it('answers 503 while the RocketLeague cog is unloaded', async () => {
    await t.http().post('/api/cogs/RocketLeague/unload').set(as(admin)).expect(200);
    try {
      const res = await t.http().get('/api/user/rocket-league/account').set(as(member)).expect(503);
      expect(res.body.error).toBe('RocketLeague cog not loaded');
      const token = world.gateway.slashCommand(
        'rlstats',
        { platform: 'epic', username: 'x' },
        guildMember(8),
      );
      expect((await eventually(() => world.discord.answerTo(token))).content).toBe(
        'This feature is disabled',
      );
    } finally {
      await t.http().post('/api/cogs/RocketLeague/load').set(as(admin)).expect(200);
    }
  });
});

describe('Rocket League through FlareSolverr', () => {
  let tracker: FakeTracker;
  let solver: FakeFlareSolverr;
  let t: TestApp;
  beforeAll(async () => {
    tracker = await new FakeTracker().start();
    solver = await new FakeFlareSolverr(tracker).start();
    t = await createTestApp({
      env: {
        ROCKET_API_BASE: 'https://api.tracker.gg/api/v2/rocket-league',
        FLARESOLVERR_URL: solver.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await solver?.stop();
    await tracker?.stop();
  });

  it('reads the tracker answer out of the solved page, as HazeBot did', async () => {
    const token = await discordMemberToken(t, '990000000000000009');
    const res = await t
      .http()
      .get('/api/rocket-league/stats/epic/Rocketeer')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    expect(res.body.stats).toMatchObject({
      username: 'Rocketeer',
      rank_2v2: '<:c1:1425389889796706374> Division I',
    });
    expect(solver.requests[0]).toMatchObject({
      cmd: 'request.get',
      url: 'https://api.tracker.gg/api/v2/rocket-league/standard/profile/epic/Rocketeer',
    });
    await t
      .http()
      .get('/api/rocket-league/stats/epic/ghost')
      .set({ Authorization: `Bearer ${token}` })
      .expect(404);
  });
});

describe('a rank check of many accounts', () => {
  let tracker: FakeTracker;
  let t: TestApp;
  beforeAll(async () => {
    tracker = await new FakeTracker().start();
    t = await createTestApp({ env: { ROCKET_API_BASE: tracker.base, RANK_CHECK_ANSWER_MS: '50' } });
    for (let i = 1; i <= 6; i += 1) {
      tracker.players.set(`epic:player${i}`, `Player${i}`);
      const token = await discordMemberToken(t, String(991000000000000000n + BigInt(i)));
      await t
        .http()
        .post('/api/user/rocket-league/link')
        .set({ Authorization: `Bearer ${token}` })
        .send({ platform: 'epic', username: `player${i}` })
        .expect(200);
    }
  });
  afterAll(async () => {
    await t?.close();
    await tracker?.stop();
  });

  it('answers "started" when it takes longer, and asks the tracker at most 3 at a time', async () => {
    tracker.delayMs = 150;
    tracker.maxInFlight = 0;
    const admin = await adminToken(t);
    const res = await t
      .http()
      .post('/api/rocket-league/check-ranks')
      .set({ Authorization: `Bearer ${admin}` })
      .expect(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Rank check started',
      note: 'It goes on in the background',
    });
    // Joining the check under way: it finishes with every account checked.
    expect(await t.app.get(RankCheck).run()).toEqual({ checked: 6, promoted: 0, failed: 0 });
    expect(tracker.maxInFlight).toBe(3);
  });
});
