import type { BotSettings } from './bot-settings';
import type { ConfigOverviewDto } from './dto/responses.dto';

/** The daily meme job's settings as HazeBot's DailyMeme cog showed them. */
function dailyMeme(settings: BotSettings) {
  const meme = settings.get('meme');
  const [hour, minute] = meme.daily_time.split(':').map(Number);
  return {
    enabled: meme.daily_enabled,
    hour,
    minute,
    channel_id: settings.get('channels').meme_channel_id,
    role_id: settings.get('roles').meme_role_id,
    min_score: meme.daily_min_score,
    allow_nsfw: meme.daily_allow_nsfw,
    use_subreddits: meme.daily_subreddits,
    use_lemmy: meme.daily_lemmy,
    max_sources: meme.daily_max_sources,
    pool_size: meme.daily_pool_size,
  };
}

/** pino's level names as the numbers of Python's logging module, which the app shows. */
const PYTHON_LEVELS: Record<string, number> = {
  trace: 5,
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  fatal: 50,
  silent: 50,
};

export interface OverviewContext {
  logLevel: string;
  guildId: string | undefined;
  guildName: string;
  prodMode: boolean;
}

/**
 * `GET /api/config` in the HazeBot app's shape: the sections regrouped as HazeBot's `Config` module
 * exposed them (contract §2.5), plus `roles` and `tickets` as the HazeBot API document shows them.
 */
export function configOverview(settings: BotSettings, context: OverviewContext): ConfigOverviewDto {
  const general = settings.get('general');
  const roles = settings.get('roles');
  const { gaming_channel_id: _gaming, ...channels } = settings.get('channels');
  return {
    general: {
      bot_name: general.bot_name,
      command_prefix: general.command_prefix,
      presence_update_interval: general.presence_update_interval,
      message_cooldown: general.message_cooldown,
      fuzzy_matching_threshold: general.fuzzy_matching_threshold,
      prod_mode: context.prodMode,
    },
    logging: { log_level: PYTHON_LEVELS[context.logLevel] ?? 20, cog_log_levels: {} },
    discord_ids: {
      guild_id: context.guildId ?? null,
      guild_name: context.guildName,
      admin_role_id: roles.admin_role_id,
      moderator_role_id: roles.moderator_role_id,
      normal_role_id: roles.normal_role_id,
      member_role_id: roles.member_role_id,
      changelog_role_id: roles.changelog_role_id,
      meme_role_id: roles.meme_role_id,
      interest_role_ids: roles.interest_role_ids,
      interest_roles: roles.interest_roles,
    },
    channels,
    roles,
    rocket_league: settings.get('rocket_league'),
    rocket_league_texts: settings.get('rocket_league_texts'),
    status_dashboard: general.status_dashboard,
    meme: settings.get('meme'),
    daily_meme: dailyMeme(settings),
    welcome: settings.get('welcome'),
    welcome_texts: settings.get('welcome_texts'),
    server_guide: settings.get('server_guide'),
    role_names: general.role_names,
    tickets: settings.get('tickets'),
  };
}
