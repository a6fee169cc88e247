/**
 * The bot's discord.js client, provided under this token only where the bot runs (DiscordModule
 * with a token and DISCORD_GATEWAY). Injected by token so that nothing loads discord.js, which
 * takes about a third of a second and 15 MB, in an instance without a bot.
 */
export const DISCORD_CLIENT = Symbol('DISCORD_CLIENT');
