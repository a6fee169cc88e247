import { FakeDiscord } from './fake-discord';
import { FakeDiscordGateway, type FakeMember } from './fake-discord-gateway';

export const IDS = {
  bot: '110000000000000001',
  general: '120000000000000001',
  chat: '120000000000000002',
  voice: '120000000000000003',
  transcripts: '120000000000000004',
  community: '120000000000000009',
  ticketsCategory: '120000000000000010',
  adminRole: '130000000000000001',
  modRole: '130000000000000002',
  cohortRole: '130000000000000003',
} as const;

export const STAFF: FakeMember = {
  id: '140000000000000001',
  username: 'mod',
  global_name: 'Mod Marta',
  roles: [IDS.modRole],
};

export function member(n: number): FakeMember {
  return { id: String(150000000000000000n + BigInt(n)), username: `member${n}`, roles: [] };
}

export interface DiscordWorld {
  discord: FakeDiscord;
  gateway: FakeDiscordGateway;
  /** Env for an app that is the bot of this world. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A fake Discord (REST + gateway) with the community's guild, wired so REST changes reach the bot. */
export async function startDiscordWorld(): Promise<DiscordWorld> {
  const discord = await new FakeDiscord().start();
  const gateway = await new FakeDiscordGateway(
    { id: IDS.bot, username: 'Guildhall', applicationId: discord.applicationId },
    {
      id: discord.guildId,
      name: 'Build Crew',
      channels: [
        { id: IDS.chat, name: 'chat', type: 0, parent_id: IDS.community, position: 2 },
        { id: IDS.general, name: 'general', type: 0, position: 1 },
        { id: IDS.community, name: 'Community', type: 4, position: 0 },
        { id: IDS.voice, name: 'Voice', type: 2, position: 3 },
        { id: IDS.ticketsCategory, name: 'Tickets', type: 4, position: 4 },
        { id: IDS.transcripts, name: 'transcripts', type: 0, position: 5 },
      ],
      roles: [
        { id: discord.guildId, name: '@everyone', position: 0 },
        { id: IDS.adminRole, name: 'Admin', position: 3, color: 16711680 },
        { id: IDS.modRole, name: 'Mod', position: 2 },
        { id: IDS.cohortRole, name: 'BC1', position: 1 },
      ],
    },
  ).start();
  discord.gatewayUrl = gateway.url;
  discord.onGatewayEvent = (type, data) => gateway.dispatch(type, data);
  return {
    discord,
    gateway,
    env: {
      DISCORD_TOKEN: 'fake.bot.token',
      DISCORD_API_BASE: discord.base,
      DISCORD_GUILD_ID: discord.guildId,
      ADMIN_ROLE_ID: IDS.adminRole,
      MODERATOR_ROLE_ID: IDS.modRole,
      TICKETS_CATEGORY_ID: IDS.ticketsCategory,
      TRANSCRIPT_CHANNEL_ID: IDS.transcripts,
      COHORT_ROLE_IDS: `BC1:${IDS.cohortRole}`,
      OUTBOX_POLL_MS: '50',
      OUTBOX_RETRY_BASE_MS: '50',
    },
    async stop() {
      await gateway.stop();
      await discord.stop();
    },
  };
}
