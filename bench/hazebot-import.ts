/**
 * `npm run bench:import`: how fast `npm run hazebot:import` brings in years of HazeBot analytics.
 *
 * Builds a HazeBot analytics.db (its own schema, api/analytics_db.py) with BENCH_IMPORT_SESSIONS
 * sessions (default 1,000,000) of 2,000 users over 365 days, then imports it into a fresh SQLite
 * database, and into PostgreSQL when TEST_DATABASE_URL is set, each as the command an operator runs.
 * Reports sessions per second and the process's peak memory, and writes bench/import-results.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createScratchDatabase } from '../src/core/database/scratch-database';

const SESSIONS = Number(process.env.BENCH_IMPORT_SESSIONS ?? 1_000_000);
const USERS = 2_000;
const DAY_MS = 86_400_000;
const ENDPOINTS = [
  'tickets.get_tickets',
  'tickets.get_my_tickets',
  'tickets.get_ticket',
  'config.get_config',
  'auth_routes.ping',
];
const PLATFORMS = ['Android', 'iOS', 'Web', 'Windows'];
const CLI = join(__dirname, '..', 'src', 'cli', 'hazebot-import.js');
/** The heap limits `npm run hazebot:import` runs with (package.json `config.node_flags`). */
const NODE_FLAGS = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    config: { node_flags: string };
  }
).config.node_flags.split(' ');

/** HazeBot's naive UTC ISO time, as `datetime.utcnow().isoformat()` wrote it. */
const naive = (ms: number) => new Date(ms).toISOString().replace('Z', '000');

function buildSource(dir: string): number {
  const began = performance.now();
  const db = new Database(join(dir, 'analytics.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(`
    CREATE TABLE sessions (session_id TEXT PRIMARY KEY, discord_id TEXT NOT NULL, username TEXT NOT NULL,
      started_at TEXT NOT NULL, ended_at TEXT, duration_minutes REAL DEFAULT 0, platform TEXT,
      device_info TEXT, app_version TEXT, ip_address TEXT, actions_count INTEGER DEFAULT 0,
      endpoints_used TEXT, screens_visited TEXT, created_at TEXT DEFAULT (datetime('now')));
    CREATE TABLE user_stats (discord_id TEXT PRIMARY KEY, username TEXT NOT NULL,
      total_sessions INTEGER DEFAULT 0, total_duration_minutes REAL DEFAULT 0,
      total_actions INTEGER DEFAULT 0, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
      favorite_platform TEXT, endpoints_accessed TEXT, updated_at TEXT DEFAULT (datetime('now')));
    CREATE TABLE daily_stats (date TEXT PRIMARY KEY, total_sessions INTEGER DEFAULT 0,
      unique_users INTEGER DEFAULT 0, total_actions INTEGER DEFAULT 0,
      total_duration_minutes REAL DEFAULT 0, avg_session_duration REAL DEFAULT 0,
      new_users INTEGER DEFAULT 0, platforms TEXT, top_endpoints TEXT,
      created_at TEXT DEFAULT (datetime('now')));
    CREATE TABLE error_logs (id INTEGER PRIMARY KEY AUTOINCREMENT, signature TEXT NOT NULL,
      error_type TEXT NOT NULL, message TEXT NOT NULL, endpoint TEXT, discord_id TEXT, username TEXT,
      occurred_at TEXT NOT NULL, stack_trace TEXT, created_at TEXT DEFAULT (datetime('now')));
    CREATE INDEX idx_sessions_started_at ON sessions(started_at);
  `);
  const start = Date.now() - 365 * DAY_MS;
  const session = db.prepare(
    `INSERT INTO sessions (session_id, discord_id, username, started_at, ended_at, duration_minutes,
       platform, device_info, app_version, ip_address, actions_count, endpoints_used, screens_visited)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'Pixel 8', '3.2.0', '10.0.0.1', ?, ?, '["home","tickets"]')`,
  );
  const discordId = (n: number) => String(1_400_000_000_000_000_000n + BigInt(n));
  const user = (i: number) => discordId((i * 7919) % USERS);
  const insert = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const at = start + Math.floor((i / SESSIONS) * 365 * DAY_MS);
      const minutes = 1 + (i % 45);
      const actions = 1 + (i % 20);
      const endpoints = JSON.stringify({
        [ENDPOINTS[i % ENDPOINTS.length]]: actions - 1,
        'auth_routes.ping': 1,
      });
      session.run(
        `session-${i.toString(36)}-${(i * 2654435761) % 1e9}`,
        user(i),
        `member${(i * 7919) % USERS}`,
        naive(at),
        naive(at + minutes * 60_000),
        minutes,
        PLATFORMS[i % PLATFORMS.length],
        actions,
        endpoints,
      );
    }
  });
  for (let from = 0; from < SESSIONS; from += 100_000)
    insert(from, Math.min(SESSIONS, from + 100_000));
  const stats = db.prepare(
    `INSERT INTO user_stats (discord_id, username, first_seen, last_seen) VALUES (?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let u = 0; u < USERS; u += 1)
      stats.run(discordId(u), `member${u}`, naive(start), naive(Date.now()));
  })();
  db.close();
  return performance.now() - began;
}

interface ImportRun {
  database: string;
  sessions: number;
  seconds: number;
  sessionsPerSecond: number;
  peakRssMb: number;
}

function runImport(dir: string, label: string, env: Record<string, string>): ImportRun {
  const began = performance.now();
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', 'peak_rss_kb=%M', process.execPath, ...NODE_FLAGS, CLI, dir],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        API_ADMIN_PASS: randomBytes(12).toString('hex'),
        LOG_LEVEL: 'warn',
        ...env,
      },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = (performance.now() - began) / 1000;
  if (result.status !== 0)
    throw new Error(`import into ${label} failed:\n${result.stdout}\n${result.stderr}`);
  const line = result.stdout.split('\n').find((l) => l.startsWith('analytics:')) ?? '';
  const sessions = Number(/^analytics: (\d+)/.exec(line)?.[1] ?? 0);
  const peak = Number(/peak_rss_kb=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
  return {
    database: label,
    sessions,
    seconds: Math.round(seconds * 10) / 10,
    sessionsPerSecond: Math.round(sessions / seconds),
    peakRssMb: Math.round(peak),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-bench-import-'));
  try {
    const source = join(dir, 'Data');
    execFileSync('mkdir', ['-p', source]);
    const built = buildSource(source);
    console.log(
      `HazeBot analytics.db: ${SESSIONS} sessions built in ${(built / 1000).toFixed(1)} s`,
    );
    const runs: ImportRun[] = [];
    const sqlite = await createScratchDatabase('sqlite');
    try {
      const target = sqlite.database.target as { path: string };
      runs.push(
        runImport(source, 'sqlite', { SQLITE_PATH: target.path, DATA_DIR: join(dir, 'data') }),
      );
    } finally {
      await sqlite.dispose();
    }
    const url = process.env.TEST_DATABASE_URL;
    if (url) {
      const pg = await createScratchDatabase('postgres', url);
      try {
        runs.push(
          runImport(source, 'postgres', {
            DATABASE_URL: url,
            DB_SCHEMA: pg.database.schema as string,
            DATA_DIR: join(dir, 'data-pg'),
          }),
        );
      } finally {
        await pg.dispose();
      }
    } else {
      console.log('postgres: skipped (TEST_DATABASE_URL not set)');
    }
    for (const run of runs)
      console.log(
        `${run.database}: ${run.sessions} sessions in ${run.seconds} s = ${run.sessionsPerSecond} sessions/s, peak RSS ${run.peakRssMb} MB`,
      );
    writeFileSync(
      join(__dirname, '..', '..', 'bench', 'import-results.json'),
      `${JSON.stringify({ sessions: SESSIONS, runs }, null, 2)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
