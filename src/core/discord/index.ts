export { DiscordCoreModule } from './discord-core.module';
export { DISCORD_CLIENT } from './discord-client';
// The exception filter of slash commands loads discord.js: command files import it from its file.
export { DiscordMembers, type MemberProfile } from './discord-members';
export { DiscordDisabled, type DiscordFile, DiscordRest, nonceOf } from './discord-rest';
export { type ChannelPost, DiscordPoster } from './discord-poster';
