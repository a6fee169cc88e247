export { DiscordCoreModule } from './discord-core.module';
export { DiscordExceptionFilter, UNEXPECTED_REPLY } from './discord-exception.filter';
export { DiscordMembers, type MemberProfile } from './discord-members';
export { DiscordDisabled, type DiscordFile, DiscordRest, nonceOf } from './discord-rest';
