import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppConfig, type PasswordUser } from './app-config';
import { readDevSecrets, readOrCreateDevSecrets } from './dev-secrets';
import { ENV_ALIASES, envSchema, type Env, type EnvInput } from './env.schema';
import { version as packageVersion } from '../../../package.json';

/** Boot stops with this error; its message is one line that names the variable. */
/** Every problem of a configuration; the message names them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];

  constructor(problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(
      list.length === 1
        ? list[0]
        : `${list.length} problems:\n${list.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.problems = list;
  }
}

export const MIN_SECRET_LENGTH = 32;

/** What a read-only load shows for a development secret not generated yet. */
export const GENERATED_AT_FIRST_START = '(generated at the first start)';

/** Placeholders from the two original servers' docs and the usual suspects. */
const KNOWN_DEFAULT_PASSWORDS = new Set([
  'admin',
  'changeme',
  'change-me',
  'password',
  'password1',
  'pass1',
  'pass2',
  '123456',
  '12345678',
  'secret',
  'your-password',
  'your-secure-password',
  'your_secure_password',
]);

export function isKnownDefaultPassword(password: string): boolean {
  return KNOWN_DEFAULT_PASSWORDS.has(password.toLowerCase());
}

/** Resolves aliases (API_PORT → PORT, ...) and validates; every bad variable is named. */
export function parseEnv(input: EnvInput): Env {
  const resolved: EnvInput = { ...input };
  const sourceName = new Map<string, string>();
  for (const [canonical, aliases] of Object.entries(ENV_ALIASES)) {
    if (nonEmpty(resolved[canonical])) continue;
    const alias = aliases.find((name) => nonEmpty(input[name]));
    if (alias) {
      resolved[canonical] = input[alias];
      sourceName.set(canonical, alias);
    }
  }
  const result = envSchema.safeParse(resolved);
  if (result.success) return result.data;
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'environment');
    const name = sourceName.get(key) ?? key;
    if (!problems.has(name))
      problems.set(name, `Invalid environment variable ${name}: ${issue.message}`);
  }
  throw new ConfigError([...problems.values()]);
}

export interface LoadedConfig {
  config: AppConfig;
  /** Set when this start generated the admin password; it is shown once and never logged. */
  generatedAdminPassword?: string;
}

/**
 * Validates the environment and builds the typed configuration. Outside production, a missing secret
 * and admin password are generated once and kept in DATA_DIR (not with `readOnly`); in production
 * they must be given.
 */
export function loadConfig(
  input: EnvInput,
  cwd = process.cwd(),
  options: { readOnly?: boolean } = {},
): LoadedConfig {
  const env = parseEnv(input);
  const dataDir = isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(cwd, env.DATA_DIR);
  const isProduction = env.NODE_ENV === 'production';

  let secretKey = env.SECRET_KEY;
  let adminPassword = env.API_ADMIN_PASS;
  let generatedAdminPassword: string | undefined;

  if (isProduction) {
    assertProductionSecrets(env);
  } else if (secretKey === undefined || adminPassword === undefined) {
    // A read-only load (config:check) creates nothing: the first start generates them.
    const dev = options.readOnly
      ? (readDevSecrets(dataDir) ?? {
          secretKey: GENERATED_AT_FIRST_START,
          adminPassword: GENERATED_AT_FIRST_START,
          createdAdminPassword: false,
        })
      : readOrCreateDevSecrets(dataDir);
    secretKey ??= dev.secretKey;
    if (adminPassword === undefined) {
      adminPassword = dev.adminPassword;
      if (dev.createdAdminPassword) generatedAdminPassword = dev.adminPassword;
    }
  }

  const config = new AppConfig({
    app: {
      nodeEnv: env.NODE_ENV,
      isProduction,
      environment: env.ENVIRONMENT ?? env.NODE_ENV,
      version: env.API_VERSION ?? packageVersion,
    },
    http: {
      port: env.PORT,
      host: env.HOST,
      trustProxy: env.TRUST_PROXY,
      corsOrigins: env.CORS_ORIGINS,
      bodyLimit: env.BODY_LIMIT,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    },
    log: { level: env.LOG_LEVEL },
    database: {
      target: env.DATABASE_URL
        ? { kind: 'postgres', url: env.DATABASE_URL }
        : { kind: 'sqlite', path: sqlitePath(env.SQLITE_PATH, dataDir, cwd) },
      schema: env.DB_SCHEMA,
      dataDir,
      migrateOnBoot: env.DB_MIGRATE_ON_BOOT,
      busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS,
      sqliteSynchronous: env.SQLITE_SYNCHRONOUS,
      backup: {
        dir:
          env.BACKUP_DIR &&
          (isAbsolute(env.BACKUP_DIR) ? env.BACKUP_DIR : resolve(cwd, env.BACKUP_DIR)),
        everySeconds: env.BACKUP_EVERY,
        keep: env.BACKUP_KEEP,
      },
    },
    auth: {
      secretKey: secretKey as string,
      admin: { username: env.API_ADMIN_USER, password: adminPassword as string },
      extraUsers: env.API_EXTRA_USERS,
      legacyApiKey: env.API_KEY,
      apiEnabled: env.API_ENABLED,
      tokenTtlSeconds: env.JWT_EXPIRES_IN,
      refreshGraceSeconds: env.JWT_REFRESH_GRACE,
      moderatorFullAccess: env.MODERATOR_FULL_ACCESS,
      cacheTtlMs: env.AUTH_CACHE_TTL_MS,
      cacheMaxEntries: env.AUTH_CACHE_MAX_ENTRIES,
      sessionTouchIntervalMs: env.SESSION_TOUCH_INTERVAL_MS,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      loginLimits: {
        perIp: env.LOGIN_RATE_LIMIT_PER_IP,
        perUser: env.LOGIN_RATE_LIMIT_PER_USER,
        windowSeconds: env.LOGIN_RATE_LIMIT_WINDOW,
      },
    },
    discord: {
      token: env.DISCORD_TOKEN,
      clientId: env.DISCORD_CLIENT_ID,
      clientSecret: env.DISCORD_CLIENT_SECRET,
      redirectUri: env.DISCORD_REDIRECT_URI,
      prodMode: env.PROD_MODE,
      guildId: env.PROD_MODE
        ? env.DISCORD_GUILD_ID
        : (env.DISCORD_TEST_GUILD_ID ?? env.DISCORD_GUILD_ID),
      apiBase: env.DISCORD_API_BASE.replace(/\/+$/, ''),
      gatewayEnabled: env.DISCORD_GATEWAY && env.DISCORD_TOKEN !== undefined,
      oauthFrontendUrl: env.DISCORD_OAUTH_FRONTEND_URL,
      oauthAnalyticsUrl: env.DISCORD_OAUTH_ANALYTICS_URL,
      oauthAndroidUrl: env.DISCORD_OAUTH_ANDROID_URL,
      oauthIosUrl: env.DISCORD_OAUTH_IOS_URL,
      oauthLegacyState: env.DISCORD_OAUTH_LEGACY_STATE,
      serverName: env.DISCORD_SERVER_NAME,
      serverInvite: env.DISCORD_SERVER_INVITE,
      roles: {
        admin: env.ADMIN_ROLE_ID,
        moderator: env.MODERATOR_ROLE_ID,
        lootling: env.LOOTLING_ROLE_ID,
      },
      ticketsCategoryId: env.TICKETS_CATEGORY_ID,
      transcriptChannelId: env.TRANSCRIPT_CHANNEL_ID,
    },
    invites: {
      maxRoleMembers: env.MAX_ROLE_MEMBERS,
      cohortRoleIds: env.COHORT_ROLE_IDS,
      generatePerMinute: env.INVITES_GENERATE_PER_MINUTE,
      failedRedeem: {
        limit: env.INVITES_FAILED_REDEEM_LIMIT,
        windowSeconds: env.INVITES_FAILED_REDEEM_WINDOW,
      },
    },
    sockets: {
      allowAnonymous: env.SOCKET_ALLOW_ANONYMOUS,
      sessionCheckMs: env.SOCKET_SESSION_CHECK_MS,
      eventsPer10s: env.SOCKET_EVENTS_PER_10S,
      maxPerUser: env.SOCKET_MAX_PER_USER,
      floodCooldownMs: env.SOCKET_FLOOD_COOLDOWN_MS,
      maxPayloadBytes: env.SOCKET_MAX_PAYLOAD_BYTES,
    },
    tickets: {
      categories: env.TICKET_CATEGORIES,
      cooldownMinutes: env.TICKET_COOLDOWN_MINUTES,
      maxReopens: env.TICKET_MAX_REOPENS,
      deleteAfterDays: env.TICKET_DELETE_AFTER_DAYS,
      autoCloseHours: env.TICKET_AUTO_CLOSE_HOURS,
      jobIntervalMs: env.TICKET_JOB_INTERVAL_MS,
    },
    botConfig: { refreshMs: env.CONFIG_REFRESH_MS },
    memes: {
      redditBase: env.REDDIT_API_BASE.replace(/\/+$/, ''),
      lemmyBase: env.LEMMY_API_BASE?.replace(/\/+$/, ''),
      upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
      repeatDays: env.MEME_REPEAT_DAYS,
    },
    imageProxy: {
      allowedHosts: env.IMAGE_PROXY_ALLOWED_HOSTS,
      allowPrivate: env.IMAGE_PROXY_ALLOW_PRIVATE,
      perMinute: env.IMAGE_PROXY_PER_MINUTE,
      cacheBytes: env.IMAGE_PROXY_CACHE_MB * 1024 * 1024,
      timeoutMs: env.IMAGE_PROXY_TIMEOUT_MS,
    },
    analytics: {
      enabled: env.ANALYTICS_ENABLED,
      flushMs: env.ANALYTICS_FLUSH_MS,
      retentionDays: env.ANALYTICS_RETENTION_DAYS,
    },
    logRing: { size: env.LOG_RING_SIZE },
    outbox: {
      pollMs: env.OUTBOX_POLL_MS,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: env.OUTBOX_RETRY_BASE_MS,
      lockMs: env.OUTBOX_LOCK_MS,
      retentionDays: env.OUTBOX_RETENTION_DAYS,
    },
    email: {
      enabled: env.EMAIL_ENABLED,
      smtp: {
        host: env.SMTP_SERVER,
        port: env.SMTP_PORT,
        username: env.SMTP_USERNAME,
        password: env.SMTP_PASSWORD,
        secure: env.SMTP_SECURE,
      },
      fromName: env.EMAIL_FROM_NAME,
      fromAddress: env.EMAIL_FROM_ADDRESS,
      supportEmail: env.SUPPORT_EMAIL,
    },
    push: {
      fcmServerKey: env.FCM_SERVER_KEY,
      firebaseCredentialsPath: env.FIREBASE_CREDENTIALS_PATH,
    },
    rocketLeague: {
      apiKey: env.ROCKET_LEAGUE_API_KEY,
      apiBase: env.ROCKET_API_BASE.replace(/\/+$/, ''),
      flaresolverrUrl: env.FLARESOLVERR_URL,
      checkAnswerMs: env.RANK_CHECK_ANSWER_MS,
    },
    redis: { url: redisUrl(env), keyPrefix: env.REDIS_KEY_PREFIX },
    metrics: {
      token: env.METRICS_TOKEN,
      port: env.METRICS_PORT >= 0 ? env.METRICS_PORT : undefined,
    },
    cluster: {
      instanceId: env.INSTANCE_ID ?? `${hostname()}:${process.pid}`,
      leaseTtlMs: env.LEASE_TTL_MS,
      // DISCORD_GATEWAY=false keeps an instance out of the singleton work altogether.
      competes: env.DISCORD_GATEWAY,
    },
  });

  return { config, generatedAdminPassword };
}

/** Reads a `.env` file from the working directory when there is one; real variables win. */
export function readDotEnv(cwd = process.cwd()): void {
  const file = join(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

function assertProductionSecrets(env: Env): void {
  const problems: string[] = [];
  if (env.SECRET_KEY === undefined || env.SECRET_KEY.length < MIN_SECRET_LENGTH)
    problems.push(
      `SECRET_KEY (or API_SECRET_KEY) must be set to at least ${MIN_SECRET_LENGTH} characters in production`,
    );
  if (env.API_ADMIN_PASS === undefined) problems.push('API_ADMIN_PASS must be set in production');
  const users: PasswordUser[] = [
    ...(env.API_ADMIN_PASS === undefined
      ? []
      : [{ username: env.API_ADMIN_USER, password: env.API_ADMIN_PASS }]),
    ...env.API_EXTRA_USERS,
  ];
  for (const weak of users.filter((user) => isKnownDefaultPassword(user.password))) {
    const variable = weak.username === env.API_ADMIN_USER ? 'API_ADMIN_PASS' : 'API_EXTRA_USERS';
    problems.push(
      `${variable} uses a known default password for user "${weak.username}"; choose another in production`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function sqlitePath(explicit: string | undefined, dataDir: string, cwd: string): string {
  if (explicit === undefined) return join(dataDir, 'guildhall.sqlite');
  if (explicit === ':memory:' || isAbsolute(explicit)) return explicit;
  return resolve(cwd, explicit);
}

function redisUrl(env: Env): string | undefined {
  if (env.REDIS_URL) return env.REDIS_URL;
  if (!env.REDIS_HOST) return undefined;
  const auth = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}@` : '';
  return `redis://${auth}${env.REDIS_HOST}:${env.REDIS_PORT}`;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
