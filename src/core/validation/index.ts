export { isDiscordId, IsDiscordId, IsPersonId, LEGACY_USER } from './discord-id';
