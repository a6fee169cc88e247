import { type Env } from './env.schema';

export type NodeEnv = Env['NODE_ENV'];

export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface PasswordUser {
  username: string;
  password: string;
}

/**
 * The validated, typed configuration. It is built once at boot (see `loadConfig`) and injected
 * wherever it is needed: `constructor(private readonly config: AppConfig)`.
 */
export class AppConfig {
  readonly app: {
    nodeEnv: NodeEnv;
    isProduction: boolean;
    /** Reported by `GET /api/health` as `environment`. */
    environment: string;
    /** Reported by `GET /api/health` as `version`. */
    version: string;
  };

  readonly http: {
    port: number;
    host: string | undefined;
    trustProxy: boolean | number | string[];
    corsOrigins: string[];
    bodyLimit: string;
    shutdownTimeoutMs: number;
    /** A request whose headers and body take longer to arrive is answered 408. */
    requestTimeoutMs: number;
    /** How long readiness reports failure before the listener stops accepting, for load balancers. */
    shutdownDelayMs: number;
  };

  readonly log: { level: Env['LOG_LEVEL'] };

  readonly database: {
    target: DatabaseTarget;
    /** PostgreSQL schema to work in (it must exist); default: the server's search_path. */
    schema: string | undefined;
    dataDir: string;
    migrateOnBoot: boolean;
    /** How long a statement may wait, asynchronously, for another process's SQLite lock. */
    busyTimeoutMs: number;
    /** SQLite `synchronous`: FULL survives power loss, NORMAL may lose the last commits on one. */
    sqliteSynchronous: 'FULL' | 'NORMAL';
    /** Scheduled online backups of the SQLite file (none without a directory). */
    backup: { dir: string | undefined; everySeconds: number; keep: number };
  };

  readonly auth: {
    secretKey: string;
    admin: PasswordUser;
    extraUsers: PasswordUser[];
    legacyApiKey: string | undefined;
    apiEnabled: boolean;
    /** Token lifetime, seconds. */
    tokenTtlSeconds: number;
    /** How long after expiry a correctly signed token may still be refreshed, seconds. */
    refreshGraceSeconds: number;
    /** HazeBot gave moderators every permission; false keeps them to staff permissions. */
    moderatorFullAccess: boolean;
    /** How long a session or API key read from the database is reused (0: never). */
    cacheTtlMs: number;
    cacheMaxEntries: number;
    /** A session's last activity and client info are written at most this often. */
    sessionTouchIntervalMs: number;
    rateLimitPerMinute: number;
    loginLimits: { perIp: number; perUser: number; windowSeconds: number };
  };

  readonly discord: {
    token: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    redirectUri: string | undefined;
    /** PROD_MODE: the production guild rather than the test guild. */
    prodMode: boolean;
    /** DISCORD_GUILD_ID, or DISCORD_TEST_GUILD_ID when PROD_MODE is false (HazeBot's rule). */
    guildId: string | undefined;
    apiBase: string;
    gatewayEnabled: boolean;
    oauthFrontendUrl: string | undefined;
    oauthAnalyticsUrl: string | undefined;
    oauthAndroidUrl: string;
    oauthIosUrl: string;
    /** Accept the plain `state=mobile|web|analytics` the unchanged app sends (no CSRF protection). */
    oauthLegacyState: boolean;
    serverName: string;
    serverInvite: string | undefined;
    roles: {
      admin: string | undefined;
      moderator: string | undefined;
      lootling: string | undefined;
    };
    /** The category ticket channels are created under (none: at the top of the guild). */
    ticketsCategoryId: string | undefined;
    /** Where transcripts of closed tickets are posted (none: not posted). */
    transcriptChannelId: string | undefined;
  };

  readonly invites: {
    maxRoleMembers: number;
    /** Discord role of each cohort, from COHORT_ROLE_IDS. */
    cohortRoleIds: Record<string, string>;
    generatePerMinute: number;
    /** Unknown codes tried per API key, member and address within the window, before 429. */
    failedRedeem: { limit: number; windowSeconds: number };
  };

  readonly outbox: {
    pollMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    /** How long a claimed message is left to its instance before another may deliver it. */
    lockMs: number;
    /** Delivered and given-up messages are deleted after this many days. */
    retentionDays: number;
  };

  readonly sockets: {
    /** Let token-less sockets join a ticket room by its id, read-only (the unchanged app sends no token). */
    allowAnonymous: boolean;
    sessionCheckMs: number;
    eventsPer10s: number;
    /** Sockets one user (or one address, for anonymous ones) may hold open on this instance. */
    maxPerUser: number;
    /** How long a user dropped for flooding may not reconnect. */
    floodCooldownMs: number;
    maxPayloadBytes: number;
  };

  readonly tickets: {
    /** Ticket types accepted from the app (case-sensitive). */
    categories: string[];
    /** Members (not staff) may open one ticket per this many minutes; 0 turns it off. */
    cooldownMinutes: number;
    /** How often a closed ticket may be reopened. */
    maxReopens: number;
    /** Closed tickets are deleted this many days after closing. */
    deleteAfterDays: number;
    /** Open tickets without activity for this many hours are closed; 0 turns it off. */
    autoCloseHours: number;
    /** How often the clean-up job runs; 0 turns it off. */
    jobIntervalMs: number;
  };

  readonly memes: {
    redditBase: string;
    /** Replaces `https://<instance>` for every Lemmy instance (proxies, tests). */
    lemmyBase: string | undefined;
    /** How long Reddit, Lemmy and the Rocket League tracker may take. */
    upstreamTimeoutMs: number;
    /** A meme shown is not shown again for this many days. */
    repeatDays: number;
  };

  readonly imageProxy: {
    /** Hosts (and their subdomains) images may come from. */
    allowedHosts: string[];
    /** Let the proxy reach loopback and private addresses (tests only). */
    allowPrivate: boolean;
    perMinute: number;
    cacheBytes: number;
    /** An image that takes longer to arrive is answered 504. */
    timeoutMs: number;
  };

  readonly analytics: {
    /** Record requests and client events. */
    enabled: boolean;
    /** How often recorded events are written (0: only at shutdown and on demand). */
    flushMs: number;
    /** Raw events older than this are deleted; the daily rollups are kept. */
    retentionDays: number;
  };

  readonly botConfig: {
    /** Every instance re-reads the settings this often (0: only when told over Redis). */
    refreshMs: number;
  };

  /** How many of the latest log lines `GET /api/logs` can show. */
  readonly logRing: { size: number };

  readonly email: {
    enabled: boolean;
    smtp: {
      host: string | undefined;
      port: number;
      username: string | undefined;
      password: string | undefined;
      secure: boolean;
    };
    fromName: string;
    fromAddress: string | undefined;
    supportEmail: string | undefined;
  };

  readonly push: { fcmServerKey: string | undefined; firebaseCredentialsPath: string | undefined };

  readonly rocketLeague: {
    /** Sent as `TRN-Api-Key` when set. */
    apiKey: string | undefined;
    /** The tracker's API: `{base}/standard/profile/{platform}/{username}`. */
    apiBase: string;
    /** A FlareSolverr the tracker is fetched through, as HazeBot did, when set. */
    flaresolverrUrl: string | undefined;
    /** How long `check-ranks` waits for the check before answering that it started. */
    checkAnswerMs: number;
  };

  /** `keyPrefix` starts every key and channel, so instances of other deployments may share a Redis. */
  readonly redis: { url: string | undefined; keyPrefix: string };

  /** `GET /metrics`: a bearer token it asks for, and a port of its own (else the application's). */
  readonly metrics: { token: string | undefined; port: number | undefined };

  /** Several instances of one deployment: who this one is, and the singleton lease. */
  readonly cluster: {
    instanceId: string;
    /** The owner renews its lease well within this; a dead owner's lease passes on after it. */
    leaseTtlMs: number;
    /** Whether this instance may own the gateway and the scheduled jobs. */
    competes: boolean;
  };

  constructor(values: AppConfigValues) {
    this.app = values.app;
    this.http = values.http;
    this.log = values.log;
    this.database = values.database;
    this.auth = values.auth;
    this.discord = values.discord;
    this.invites = values.invites;
    this.outbox = values.outbox;
    this.tickets = values.tickets;
    this.botConfig = values.botConfig;
    this.analytics = values.analytics;
    this.imageProxy = values.imageProxy;
    this.memes = values.memes;
    this.logRing = values.logRing;
    this.sockets = values.sockets;
    this.email = values.email;
    this.push = values.push;
    this.rocketLeague = values.rocketLeague;
    this.redis = values.redis;
    this.cluster = values.cluster;
    this.metrics = values.metrics;
  }
}

export type AppConfigValues = {
  [K in keyof AppConfig]: AppConfig[K];
};
