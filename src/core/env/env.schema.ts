import { z } from 'zod';

/**
 * Every environment variable Guildhall reads, under the names both original servers used.
 * Aliases are resolved before validation (see `ENV_ALIASES`), so the schema speaks only canonical names.
 */

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (TRUE_WORDS.has(value)) return true;
      if (FALSE_WORDS.has(value)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (!/^-?\d+$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number' });
        return z.NEVER;
      }
      const parsed = Number(value);
      if (parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}` });
        return z.NEVER;
      }
      return parsed;
    });

const text = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const textOr = (fallback: string) => text().transform((value) => value ?? fallback);

const url = (protocols: readonly string[]) =>
  text().superRefine((value, ctx) => {
    if (value === undefined) return;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (!protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `must use ${protocols.join(' or ')}` });
    }
  });

const httpUrl = () => url(['http:', 'https:']);

const snowflake = () =>
  text().refine((value) => value === undefined || /^\d{5,20}$/.test(value), {
    message: 'must be a Discord id (digits only)',
  });

const commaList = () =>
  text().transform((value) =>
    value === undefined
      ? []
      : value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
  );

/** `3600`, `90s`, `30m`, `12h` or `7d`, as seconds. */
const duration = (fallback: string) =>
  textOr(fallback).transform((value, ctx) => {
    const match = /^(\d+)\s*(s|m|h|d)?$/i.exec(value);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration such as 3600, 30m, 12h or 7d' });
      return z.NEVER;
    }
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[
      (match[2] ?? 's').toLowerCase() as 's' | 'm' | 'h' | 'd'
    ];
    return Number(match[1]) * unit;
  });

const byteSize = (fallback: string) =>
  textOr(fallback).refine((value) => /^\d+(b|kb|mb)?$/i.test(value), {
    message: 'must be a size such as 512kb or 1mb',
  });

/** `user:pass,user2:pass2` (HazeBot's API_EXTRA_USERS). */
const extraUsers = () =>
  commaList().transform((entries, ctx) =>
    entries.map((entry) => {
      const colon = entry.indexOf(':');
      if (colon <= 0 || colon === entry.length - 1) {
        ctx.addIssue({ code: 'custom', message: 'must be a list of user:password pairs' });
        return { username: '', password: '' };
      }
      return { username: entry.slice(0, colon), password: entry.slice(colon + 1) };
    }),
  );

/**
 * `TRUST_PROXY` follows Express's `trust proxy` setting: false, true, a hop count, or a list of
 * addresses / subnets / the names loopback, linklocal and uniquelocal.
 */
const trustProxy = () =>
  text().transform((value): boolean | number | string[] => {
    if (value === undefined) return false;
    const lower = value.toLowerCase();
    if (FALSE_WORDS.has(lower)) return false;
    if (lower === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ENVIRONMENT: text(),
  API_VERSION: text(),

  // HTTP
  PORT: int(5070, 0, 65535),
  HOST: text(),
  TRUST_PROXY: trustProxy(),
  CORS_ORIGINS: commaList(),
  BODY_LIMIT: byteSize('1mb'),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  SHUTDOWN_DELAY_MS: int(0, 0, 600_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // Storage
  DATA_DIR: textOr('data'),
  SQLITE_PATH: text(),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DB_SCHEMA: text().refine(
    (value) => value === undefined || /^[a-z_][a-z0-9_]{0,62}$/.test(value),
    {
      message: 'must be a lower-case PostgreSQL schema name',
    },
  ),
  DB_MIGRATE_ON_BOOT: bool(true),
  SQLITE_BUSY_TIMEOUT_MS: int(5_000, 0, 600_000),
  BACKUP_DIR: text(),
  BACKUP_EVERY: duration('1d'),
  BACKUP_KEEP: int(7, 1, 1000),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('NORMAL'),

  // Identity
  SECRET_KEY: text(),
  API_ADMIN_USER: textOr('admin'),
  API_ADMIN_PASS: text(),
  API_EXTRA_USERS: extraUsers(),
  API_KEY: text(),
  API_ENABLED: bool(true),
  JWT_EXPIRES_IN: duration('7d'),
  JWT_REFRESH_GRACE: duration('7d'),
  MODERATOR_FULL_ACCESS: bool(false),
  AUTH_CACHE_TTL_MS: int(30_000, 0, 3_600_000),
  AUTH_CACHE_MAX_ENTRIES: int(10_000, 1, 10_000_000),
  SESSION_TOUCH_INTERVAL_MS: int(60_000, 0, 86_400_000),
  RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
  LOGIN_RATE_LIMIT_PER_IP: int(20, 1, 100_000),
  LOGIN_RATE_LIMIT_PER_USER: int(10, 1, 100_000),
  LOGIN_RATE_LIMIT_WINDOW: duration('15m'),

  // Discord
  DISCORD_TOKEN: text(),
  DISCORD_CLIENT_ID: snowflake(),
  DISCORD_CLIENT_SECRET: text(),
  DISCORD_REDIRECT_URI: httpUrl(),
  DISCORD_GUILD_ID: snowflake(),
  DISCORD_TEST_GUILD_ID: snowflake(),
  PROD_MODE: bool(true),
  DISCORD_API_BASE: httpUrl().transform((value) => value ?? 'https://discord.com/api'),
  DISCORD_GATEWAY: bool(true),
  DISCORD_OAUTH_FRONTEND_URL: httpUrl(),
  DISCORD_OAUTH_ANALYTICS_URL: httpUrl(),
  DISCORD_OAUTH_ANDROID_URL: textOr('hazebot://oauth'),
  DISCORD_OAUTH_IOS_URL: textOr('hazebot://oauth'),
  DISCORD_OAUTH_LEGACY_STATE: bool(false),
  DISCORD_SERVER_NAME: textOr('Build Crew'),
  DISCORD_SERVER_INVITE: httpUrl(),
  ADMIN_ROLE_ID: snowflake(),
  MODERATOR_ROLE_ID: snowflake(),
  LOOTLING_ROLE_ID: snowflake(),
  TICKETS_CATEGORY_ID: snowflake(),
  TRANSCRIPT_CHANNEL_ID: snowflake(),

  // Invites (Build Crew)
  MAX_ROLE_MEMBERS: int(250, 1, 1_000_000),
  COHORT_ROLE_IDS: text().transform((value, ctx) => {
    const map: Record<string, string> = {};
    for (const entry of (value ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const match = /^(BC[1-9]\d{0,3}):(\d{5,20})$/.exec(entry);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a list of cohort:roleId pairs, e.g. BC1:123456789',
        });
        return z.NEVER;
      }
      map[match[1]] = match[2];
    }
    return map;
  }),
  INVITES_GENERATE_PER_MINUTE: int(10, 1, 1_000_000),
  INVITES_FAILED_REDEEM_LIMIT: int(10, 1, 1_000_000),
  INVITES_FAILED_REDEEM_WINDOW: duration('10m'),

  // Tickets
  TICKET_CATEGORIES: commaList().transform((list) =>
    list.length > 0 ? list : ['Application', 'Bug', 'Support'],
  ),
  TICKET_COOLDOWN_MINUTES: int(60, 0, 10_080),
  TICKET_MAX_REOPENS: int(3, 0, 1000),
  TICKET_DELETE_AFTER_DAYS: int(7, 0, 3650),
  TICKET_AUTO_CLOSE_HOURS: int(0, 0, 87_600),
  TICKET_JOB_INTERVAL_MS: int(600_000, 0, 86_400_000),

  // Memes
  REDDIT_API_BASE: httpUrl().transform((value) => value ?? 'https://www.reddit.com'),
  LEMMY_API_BASE: httpUrl(),
  UPSTREAM_TIMEOUT_MS: int(15_000, 100, 120_000),
  MEME_REPEAT_DAYS: int(7, 0, 365),

  // Image proxy (the web app loads meme images and rank icons through it)
  IMAGE_PROXY_ALLOWED_HOSTS: commaList().transform((list) =>
    list.length > 0
      ? list.map((host) => host.toLowerCase())
      : [
          'i.redd.it',
          'i.imgur.com',
          'preview.redd.it',
          'external-preview.redd.it',
          'i.imgflip.com',
          'imgflip.com',
          'trackercdn.com',
        ],
  ),
  IMAGE_PROXY_ALLOW_PRIVATE: bool(false),
  IMAGE_PROXY_PER_MINUTE: int(120, 1, 1_000_000),
  IMAGE_PROXY_CACHE_MB: int(32, 0, 4096),
  IMAGE_PROXY_TIMEOUT_MS: int(10_000, 100, 120_000),

  // Analytics
  ANALYTICS_ENABLED: bool(true),
  ANALYTICS_FLUSH_MS: int(2000, 0, 3_600_000),
  ANALYTICS_RETENTION_DAYS: int(90, 1, 36_500),

  // Bot configuration and logs
  CONFIG_REFRESH_MS: int(30_000, 0, 3_600_000),
  LOG_RING_SIZE: int(5000, 100, 1_000_000),

  // Socket.IO
  SOCKET_ALLOW_ANONYMOUS: bool(false),
  SOCKET_SESSION_CHECK_MS: int(30_000, 50, 3_600_000),
  SOCKET_EVENTS_PER_10S: int(50, 1, 100_000),
  SOCKET_MAX_PER_USER: int(20, 1, 100_000),
  SOCKET_FLOOD_COOLDOWN_MS: int(60_000, 0, 3_600_000),
  SOCKET_MAX_PAYLOAD_BYTES: int(65_536, 1024, 10_000_000),

  // Outbox (e-mail and other side effects)
  OUTBOX_POLL_MS: int(1000, 0, 3_600_000),
  OUTBOX_MAX_ATTEMPTS: int(8, 1, 1000),
  OUTBOX_RETRY_BASE_MS: int(2000, 1, 3_600_000),
  OUTBOX_LOCK_MS: int(60_000, 1000, 3_600_000),
  OUTBOX_RETENTION_DAYS: int(30, 1, 3650),

  // E-mail
  EMAIL_ENABLED: bool(false),
  SMTP_SERVER: text(),
  SMTP_PORT: int(587, 1, 65535),
  SMTP_USERNAME: text(),
  SMTP_PASSWORD: text(),
  SMTP_SECURE: bool(false),
  EMAIL_FROM_NAME: textOr('Build Crew'),
  EMAIL_FROM_ADDRESS: text().refine(
    (value) => value === undefined || /^[^\s@]+@[^\s@]+$/.test(value),
    {
      message: 'must be an e-mail address',
    },
  ),
  SUPPORT_EMAIL: text().refine((value) => value === undefined || /^[^\s@]+@[^\s@]+$/.test(value), {
    message: 'must be an e-mail address',
  }),

  // Push
  FCM_SERVER_KEY: text(),
  FIREBASE_CREDENTIALS_PATH: text(),

  // Rocket League
  ROCKET_LEAGUE_API_KEY: text(),
  FLARESOLVERR_URL: httpUrl(),
  RANK_CHECK_ANSWER_MS: int(10_000, 0, 14_000),
  ROCKET_API_BASE: httpUrl().transform(
    (value) => value ?? 'https://api.tracker.gg/api/v2/rocket-league',
  ),

  // Redis
  REDIS_URL: url(['redis:', 'rediss:']),
  REDIS_HOST: text(),
  REDIS_PORT: int(6379, 1, 65535),
  REDIS_PASSWORD: text(),
  REDIS_KEY_PREFIX: textOr('guildhall:'),

  // Metrics
  METRICS_TOKEN: text(),
  // -1 (unset): /metrics on the application's port.
  METRICS_PORT: int(-1, 0, 65535),

  // Several instances
  INSTANCE_ID: text(),
  LEASE_TTL_MS: int(10_000, 1000, 300_000),
});

export type EnvInput = Record<string, string | undefined>;
export type Env = z.output<typeof envSchema>;

/**
 * Alternative names accepted for a variable, in the order they are looked at after the canonical name.
 * PORT wins over API_PORT because hosting platforms set PORT for the process they start.
 */
export const ENV_ALIASES: Readonly<Partial<Record<keyof Env, readonly string[]>>> = {
  PORT: ['API_PORT'],
  HOST: ['API_HOST'],
  SECRET_KEY: ['API_SECRET_KEY'],
  API_KEY: ['BUILD_CREW_API_KEY'],
  SMTP_SERVER: ['SMTP_HOST'],
  SMTP_PASSWORD: ['SMTP_PASS'],
  DISCORD_TOKEN: ['DISCORD_BOT_TOKEN'],
  SMTP_USERNAME: ['SMTP_USER'],
  FIREBASE_CREDENTIALS_PATH: ['GOOGLE_APPLICATION_CREDENTIALS'],
};
