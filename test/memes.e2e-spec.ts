import { createTestApp, type TestApp } from './support/app';
import { DailyMemeJob } from '../src/memes/daily-meme.job';
import {
  type DiscordWorld,
  IDS,
  member as guildMember,
  startDiscordWorld,
} from './support/discord-world';
import { eventually } from './support/eventually';
import { FakeMemeUpstreams } from './support/meme-upstreams';
import { adminToken, discordMemberToken } from './support/users';

type Body = Record<string, unknown>;

describe('memes from Reddit and Lemmy', () => {
  let upstreams: FakeMemeUpstreams;
  let world: DiscordWorld;
  let t: TestApp;
  let admin: string;
  let member: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const fromSource = (source: string) =>
    t
      .http()
      .get(`/api/test/meme-from-source?source=${encodeURIComponent(source)}`)
      .set(as(member));

  beforeAll(async () => {
    upstreams = await new FakeMemeUpstreams().start();
    world = await startDiscordWorld();
    t = await createTestApp({
      env: {
        ...world.env,
        REDDIT_API_BASE: upstreams.base,
        LEMMY_API_BASE: upstreams.base,
        // Long enough for the oversized listing to be read up to its cap on a loaded machine.
        UPSTREAM_TIMEOUT_MS: '3000',
      },
    });
    admin = await adminToken(t);
    member = await discordMemberToken(t, '980000000000000001');
    await t
      .http()
      .put('/api/config/meme')
      .set(as(admin))
      .send({
        subreddits: ['memes', 'dankmemes', 'slowmemes', 'bigmemes', 'brokenmemes'],
        lemmy_communities: ['lemmy.world@memes'],
      })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await world?.stop();
    await upstreams?.stop();
  });

  it('lists the configured sources', async () => {
    const res = await t.http().get('/api/meme-sources').set(as(member)).expect(200);
    expect(res.body).toEqual({
      success: true,
      sources: {
        subreddits: ['memes', 'dankmemes', 'slowmemes', 'bigmemes', 'brokenmemes'],
        lemmy: ['lemmy.world@memes'],
      },
    });
  });

  it('picks image posts only, without NSFW, never the same twice, from one cached fetch', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await fromSource(i === 0 ? 'r/Memes' : 'memes').expect(200);
      expect(res.body).toMatchObject({ success: true, source: 'r/memes', source_type: 'reddit' });
      const meme = res.body.meme as Body;
      for (const key of ['url', 'title', 'subreddit', 'author', 'permalink'])
        expect(typeof meme[key]).toBe('string');
      expect(meme).toMatchObject({ subreddit: 'memes', nsfw: false, source: 'reddit' });
      expect(meme.permalink).toMatch(/^https:\/\/reddit\.com\/r\/memes\/comments\//);
      seen.push(meme.url as string);
    }
    // Five image posts are fit to show (a1, a2, imgur, low, and none of the others).
    expect(new Set(seen.slice(0, 4)).size).toBe(4);
    expect(seen).not.toContain('https://i.redd.it/memes-nsfw.png');
    expect(seen.some((url) => /video|gallery|article/.test(url))).toBe(false);
    expect(upstreams.hits.get('/r/memes/hot.json')).toBe(1);
  });

  it('reads Lemmy communities as instance@community', async () => {
    const res = await fromSource('lemmy.world@memes').expect(200);
    expect(res.body).toMatchObject({
      source: 'lemmy.world@memes',
      source_type: 'lemmy',
      meme: {
        url: 'https://lemmy.world/pictrs/image/one.webp',
        subreddit: 'lemmy:lemmy.world@memes',
        author: 'lemming',
        score: 80,
        permalink: 'https://lemmy.world/post/1',
      },
    });
  });

  it('refuses sources that are not configured, and says which are', async () => {
    const reddit = await fromSource('r/aww').expect(400);
    expect(reddit.body).toMatchObject({
      error: 'r/aww is not configured',
      error_code: 'SOURCE_NOT_CONFIGURED',
      available_subreddits: expect.arrayContaining(['memes']),
    });
    const lemmy = await fromSource('lemmy.ml@memes').expect(400);
    expect(lemmy.body.available_lemmy).toEqual(['lemmy.world@memes']);
    await t.http().get('/api/test/meme-from-source').set(as(member)).expect(400);
  });

  it('retries a 429 after its Retry-After, and reports slow, oversized and failing upstreams', async () => {
    await fromSource('dankmemes').expect(200);
    expect(upstreams.hits.get('/r/dankmemes/hot.json')).toBe(2);
    const slow = await fromSource('slowmemes').expect(504);
    expect(slow.body.error_code).toBe('UPSTREAM_TIMEOUT');
    const big = await fromSource('bigmemes').expect(502);
    expect(big.body.error_code).toBe('UPSTREAM_ERROR');
    const broken = await fromSource('brokenmemes').expect(502);
    expect(broken.headers['retry-after']).toBe('30');
    // Three tries in all: the first and two retries.
    expect(upstreams.hits.get('/r/brokenmemes/hot.json')).toBe(3);
    const health = await t.http().get('/api/health?detailed=true').expect(200);
    expect(health.body.checks.memes).toMatchObject({
      status: 'warning',
      upstreams: { reddit: { last_failure: expect.any(String), last_error: expect.any(String) } },
    });
  });

  it('gives a random meme with a score of at least 50, and the API document form', async () => {
    // One source left whose good posts were not all shown yet: r/dankmemes showed one of three.
    await t
      .http()
      .put('/api/config/meme')
      .set(as(admin))
      .send({ subreddits: ['dankmemes'], lemmy_communities: [] })
      .expect(200);
    const seed = await t.http().get('/api/memes/random?source=reddit').set(as(member)).expect(200);
    expect(seed.body).toMatchObject({ source: 'reddit', subreddit: 'dankmemes', nsfw: false });
    expect(seed.body.score).toBeGreaterThanOrEqual(50);
    // Then the app's pick, until no fresh meme with a score of at least 50 is left: never a repeat.
    const urls = [seed.body.url as string];
    for (;;) {
      const res = await t.http().get('/api/test/random-meme').set(as(member));
      if (res.status === 404) {
        expect(res.body.error).toBe('No suitable memes found');
        break;
      }
      expect(res.status).toBe(200);
      expect(res.body.meme).toMatchObject({ nsfw: false, subreddit: 'dankmemes' });
      expect((res.body.meme as Body).score).toBeGreaterThanOrEqual(50);
      urls.push((res.body.meme as Body).url as string);
      expect(urls.length).toBeLessThanOrEqual(3);
    }
    expect(new Set(urls).size).toBe(urls.length);
    await t.http().get('/api/memes/random?source=imgur').set(as(member)).expect(400);
  });

  it('posts a meme to the meme channel for staff', async () => {
    const meme = {
      url: 'https://i.redd.it/memes-a1.png',
      title: 'Post a1',
      subreddit: 'memes',
      author: 'author_a1',
      score: 500,
      permalink: 'https://reddit.com/r/memes/comments/a1/post_a1/',
    };
    await t.http().post('/api/test/send-meme').set(as(member)).send({ meme }).expect(403);
    const unset = await t
      .http()
      .post('/api/test/send-meme')
      .set(as(admin))
      .send({ meme })
      .expect(404);
    expect(unset.body.error_code).toBe('MEME_CHANNEL_NOT_CONFIGURED');
    await t
      .http()
      .put('/api/config/channels')
      .set(as(admin))
      .send({ meme_channel_id: IDS.general })
      .expect(200);
    const bad = await t
      .http()
      .post('/api/test/send-meme')
      .set(as(admin))
      .send({ meme: { ...meme, permalink: undefined } })
      .expect(400);
    expect(bad.body.details[0].field).toBe('meme.permalink');
    const sent = await t
      .http()
      .post('/api/test/send-meme')
      .set(as(admin))
      .send({ meme })
      .expect(200);
    expect(sent.body).toMatchObject({
      success: true,
      message: 'Meme sent to Discord successfully',
      channel_id: IDS.general,
      status: 'sent',
      message_id: expect.stringMatching(/^\d+$/),
    });
    await eventually(() => {
      const post = (world.discord.messages.get(IDS.general) ?? []).at(-1);
      expect(post?.content).toBe('🎭 Meme sent from Admin Panel by admin');
      expect(post?.embeds?.[0]).toMatchObject({
        title: 'Post a1',
        image: { url: 'https://i.redd.it/memes-a1.png' },
      });
    });
  });

  it('posts the daily meme once a day, after its time, mentioning the meme role', async () => {
    await t
      .http()
      .put('/api/config/meme')
      .set(as(admin))
      .send({ subreddits: ['freshmemes'], daily_time: '09:30', daily_min_score: 200 })
      .expect(200);
    await t
      .http()
      .put('/api/config/roles')
      .set(as(admin))
      .send({ meme_role_id: IDS.cohortRole })
      .expect(200);
    const job = t.app.get(DailyMemeJob);
    expect(await job.runOnce(new Date('2026-12-01T09:00:00Z'))).toBe('not-yet');
    expect(await job.runOnce(new Date('2026-12-01T09:31:00Z'))).toBe('posted');
    expect(await job.runOnce(new Date('2026-12-01T18:00:00Z'))).toBe('already-posted');
    await eventually(() => {
      const post = (world.discord.messages.get(IDS.general) ?? []).at(-1);
      expect(post?.content).toBe(`<@&${IDS.cohortRole}> 🎭 **Daily meme**`);
      // Only a post with a score of at least 200: a1 (500) or a2 (300).
      expect(String(post?.embeds?.[0]?.title)).toMatch(/^Post a[12]$/);
    });
    const overview = await t.http().get('/api/config').set(as(member)).expect(200);
    expect(overview.body.daily_meme).toMatchObject({
      enabled: true,
      hour: 9,
      minute: 30,
      min_score: 200,
    });
    await t
      .http()
      .put('/api/config/meme')
      .set(as(admin))
      .send({ daily_enabled: false })
      .expect(200);
    expect(await job.runOnce(new Date('2026-12-02T10:00:00Z'))).toBe('disabled');
    const bad = await t
      .http()
      .put('/api/config/meme')
      .set(as(admin))
      .send({ daily_time: '25:00' })
      .expect(400);
    expect(bad.body.details[0]).toEqual({
      field: 'daily_time',
      message: 'daily_time must be HH:MM (UTC)',
    });
  });

  it('answers /meme with a meme embed', async () => {
    const token = world.gateway.slashCommand('meme', {}, guildMember(5));
    const answer = await eventually(() => world.discord.answerTo(token));
    expect(answer.embeds?.[0]).toMatchObject({
      image: { url: expect.stringMatching(/^https:\/\//) },
    });
  });

  it('answers 503 while the DailyMeme cog is unloaded', async () => {
    await t.http().post('/api/cogs/DailyMeme/unload').set(as(admin)).expect(200);
    try {
      const res = await t.http().get('/api/meme-sources').set(as(member)).expect(503);
      expect(res.body).toMatchObject({
        error: 'DailyMeme cog not loaded',
        error_code: 'COG_DISABLED',
      });
    } finally {
      await t.http().post('/api/cogs/DailyMeme/load').set(as(admin)).expect(200);
    }
  });
});
