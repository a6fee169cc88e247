import { Client } from 'discord.js';
import { createTestApp, type TestApp } from './support/app';
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
        channels: [{ id: '120000000000000001', name: 'general', type: 0 }],
        roles: [
          { id: discord.guildId, name: '@everyone' },
          { id: '130000000000000001', name: 'Admin' },
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
});

describe('without DISCORD_TOKEN', () => {
  it('runs the API alone', async () => {
    const t = await createTestApp();
    try {
      expect(() => t.app.get(Client)).toThrow();
      await t.http().get('/health').expect(200);
    } finally {
      await t.close();
    }
  });
});
