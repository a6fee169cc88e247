import { Client } from 'discord.js';
import { createTestApp, TEST_ADMIN_PASSWORD, type TestApp } from './support/app';
import { FakeDiscord } from './support/fake-discord';
import { FakeDiscordGateway } from './support/fake-discord-gateway';

describe('the Discord bot against a local fake Discord', () => {
  let discord: FakeDiscord;
  let gateway: FakeDiscordGateway;
  let t: TestApp;

  beforeAll(async () => {
    discord = await new FakeDiscord().start();
    gateway = await new FakeDiscordGateway(
      { id: '110000000000000001', username: 'Guildhall', applicationId: discord.applicationId },
      {
        id: discord.guildId,
        name: 'Build Crew',
        channels: [
          {
            id: '120000000000000002',
            name: 'chat',
            type: 0,
            parent_id: '120000000000000009',
            position: 2,
          },
          { id: '120000000000000001', name: 'general', type: 0, position: 1 },
          { id: '120000000000000009', name: 'Community', type: 4, position: 0 },
          { id: '120000000000000003', name: 'Voice', type: 2, position: 3 },
        ],
        roles: [
          { id: discord.guildId, name: '@everyone', position: 0 },
          { id: '130000000000000001', name: 'Admin', position: 2, color: 16711680 },
          { id: '130000000000000002', name: 'Mod', position: 1 },
        ],
      },
    ).start();
    discord.gatewayUrl = gateway.url;
    t = await createTestApp({
      env: {
        DISCORD_TOKEN: 'fake.bot.token',
        DISCORD_API_BASE: discord.base,
        DISCORD_GUILD_ID: discord.guildId,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await gateway?.stop();
    await discord?.stop();
  });

  it('logs in through GET /gateway/bot and becomes ready with the guild in its cache', () => {
    const client = t.app.get(Client);
    expect(client.isReady()).toBe(true);
    expect(gateway.identified).toEqual([expect.objectContaining({ token: 'fake.bot.token' })]);
    const guild = client.guilds.cache.get(discord.guildId);
    expect(guild?.name).toBe('Build Crew');
    expect(guild?.roles.cache.get('130000000000000001')?.name).toBe('Admin');
    expect(discord.calls.some((c) => c.path === '/api/v10/gateway/bot')).toBe(true);
  });

  it('answers the config pickers from the guild cache', async () => {
    const token = (
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
    ).body.token;
    const auth = { Authorization: `Bearer ${token}` };
    const channels = await t.http().get('/api/guild/channels').set(auth).expect(200);
    expect(channels.body).toEqual([
      {
        id: '120000000000000009',
        name: 'Community',
        category: null,
        position: 0,
        type: 'category',
      },
      { id: '120000000000000001', name: 'general', category: null, position: 1, type: 'text' },
      { id: '120000000000000002', name: 'chat', category: 'Community', position: 2, type: 'text' },
    ]);
    const roles = await t.http().get('/api/guild/roles').set(auth).expect(200);
    expect(roles.body).toEqual([
      { id: '130000000000000001', name: 'Admin', color: 16711680, position: 2, mentionable: false },
      { id: '130000000000000002', name: 'Mod', color: 0, position: 1, mentionable: false },
    ]);
  });
});

describe('without DISCORD_TOKEN', () => {
  it('runs the API alone', async () => {
    const t = await createTestApp();
    try {
      expect(() => t.app.get(Client)).toThrow();
      await t.http().get('/health').expect(200);
      const token = (
        await t
          .http()
          .post('/api/auth/login')
          .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
      ).body.token;
      const res = await t
        .http()
        .get('/api/guild/roles')
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(res.body).toEqual({
        error: 'Bot not initialized',
        code: 503,
        error_code: 'BOT_NOT_READY',
      });
    } finally {
      await t.close();
    }
  });
});
