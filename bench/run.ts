/**
 * `npm run bench`: runs autocannon against a bare node:http server and against Guildhall, alternating
 * in several rounds with the same connections and duration, and prints req/s, p50/p99 latency and the
 * ratio to bare for every scenario, plus Guildhall's resident memory.
 *
 *   BENCH_DURATION (s, default 5)  BENCH_CONNECTIONS (default 50)  BENCH_ROUNDS (default 3)
 *   BENCH_SUBSCRIBERS (default 1000)  BENCH_FANOUT_MESSAGES (default 20)
 *   BENCH_ONLY (a regular expression: only the scenarios whose name matches; no fan-out)
 *   SQLITE_SYNCHRONOUS (FULL or NORMAL) is handed to Guildhall when set, to compare the two.
 *
 * Modules add their routes to SCENARIOS. Errors are non-2xx answers and failed connections; the
 * redemption scenario counts 410s once its code is used up, so its budget is generous.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { measureFanout } from './fanout';

interface Scenario {
  name: string;
  method?: 'GET' | 'POST';
  /** A path, or a function for one known only once an earlier scenario has prepared it. */
  path: string | (() => string);
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (e.g. a new member for every redemption). */
  makeBody?: () => string;
  connections?: number;
  /** Runs once against Guildhall before the scenario is measured. */
  prepare?: (baseUrl: string) => Promise<void>;
  /** Load run against Guildhall at the same time as each of its measured runs (not measured). */
  background?: Scenario;
}

const API_KEY = randomBytes(24).toString('hex');
const ADMIN_PASS = randomBytes(12).toString('hex');
/** Filled with the admin's bearer token by the tickets scenario. */
const staff: Record<string, string> = {};
let benchTicketId = '';

async function adminLogin(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASS }),
  });
  if (!res.ok) throw new Error(`admin login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
const partner = { 'X-API-Key': API_KEY };
let member = 700000000000000000n;
const bulkEmails = Array.from(
  { length: 500 },
  (_, i) => `Person ${i} <person.${i}@example.com>`,
).join('\n');

const bulkEmailAccept: Scenario = {
  name: 'POST /bulk_email_accept (500 addresses)',
  method: 'POST',
  path: '/bulk_email_accept',
  headers: partner,
  body: JSON.stringify({ emails: bulkEmails, send_emails: false }),
  connections: 4,
};

const SCENARIOS: Scenario[] = [
  { name: 'GET /api/health', path: '/api/health' },
  {
    name: 'POST /generate_code',
    method: 'POST',
    path: '/generate_code',
    headers: partner,
    body: JSON.stringify({ role: 'BC1', max_uses: 1, code_length: 16 }),
  },
  {
    name: 'POST /api/invites/redeem (concurrent, one code)',
    method: 'POST',
    path: '/api/invites/redeem',
    headers: partner,
    makeBody: () =>
      JSON.stringify({ code: 'BENCH-REDEEM', discord_user_id: String((member += 1n)) }),
    prepare: async (baseUrl) => {
      const res = await fetch(`${baseUrl}/add_invite_code`, {
        method: 'POST',
        headers: { ...partner, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'BENCH-REDEEM', role: 'BC1', max_uses: 10000 }),
      });
      if (!res.ok) throw new Error(`preparing the redemption code failed: ${res.status}`);
    },
  },
  {
    name: 'GET /api/tickets (20 tickets, staff token)',
    path: '/api/tickets',
    headers: staff,
    prepare: async (baseUrl) => {
      staff.Authorization = `Bearer ${await adminLogin(baseUrl)}`;
      for (let i = 0; i < 20; i += 1) {
        const res = await fetch(`${baseUrl}/api/tickets`, {
          method: 'POST',
          headers: { ...staff, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'Support',
            subject: `Bench ticket ${i}`,
            description: 'A ticket for the benchmark.',
          }),
        });
        if (res.status !== 201) throw new Error(`creating a ticket failed: ${res.status}`);
        benchTicketId = ((await res.json()) as { ticket_id: string }).ticket_id;
      }
    },
  },
  {
    name: 'POST /api/tickets/:id/messages (staff token)',
    method: 'POST',
    path: () => `/api/tickets/${benchTicketId}/messages`,
    headers: staff,
    body: JSON.stringify({ content: 'A reply from the benchmark, stored and fanned out.' }),
  },
  bulkEmailAccept,
  {
    name: 'GET /api/tickets while bulk_email_accept runs (1 connection)',
    path: '/api/tickets',
    headers: staff,
    background: { ...bulkEmailAccept, connections: 1 },
  },
];

const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function start(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        output = '';
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function measure(port: number, scenario: Scenario): Promise<Sample> {
  const makeBody = scenario.makeBody;
  const path = typeof scenario.path === 'function' ? scenario.path() : scenario.path;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: scenario.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
    requests: makeBody
      ? [{ setupRequest: (request) => ({ ...request, body: makeBody() }) }]
      : undefined,
    connections: scenario.connections ?? connections,
    duration,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-bench-'));
  const bare = await start(
    join(__dirname, 'bare-server.js'),
    { PATH: process.env.PATH ?? '' },
    /listening (\d+)/,
  );
  const guildhall = await start(
    join(__dirname, '..', 'src', 'main.js'),
    {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      API_ADMIN_PASS: ADMIN_PASS,
      API_KEY,
      // Measure the work, not the abuse limits.
      RATE_LIMIT_PER_MINUTE: '1000000',
      INVITES_GENERATE_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
      ...(process.env.SQLITE_SYNCHRONOUS
        ? { SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS }
        : {}),
    },
    /Guildhall listening on http:\/\/localhost:(\d+)/,
  ).catch((error: unknown) => {
    bare.child.kill('SIGTERM');
    throw error;
  });
  console.log(
    `bench: ${connections} connections, ${duration} s per run, ${rounds} alternating rounds\n`,
  );
  try {
    const rows: string[][] = [];
    for (const scenario of SCENARIOS) {
      if (only && !only.test(scenario.name)) {
        // Later scenarios may need what this one prepares (a staff token, a ticket).
        await scenario.prepare?.(`http://127.0.0.1:${guildhall.port}`);
        continue;
      }
      const samples = { bare: [] as Sample[], guildhall: [] as Sample[] };
      await scenario.prepare?.(`http://127.0.0.1:${guildhall.port}`);
      await measure(guildhall.port, scenario); // warm-up, not counted
      for (let round = 0; round < rounds; round += 1) {
        samples.bare.push(await measure(bare.port, scenario));
        const background = scenario.background && measure(guildhall.port, scenario.background);
        samples.guildhall.push(await measure(guildhall.port, scenario));
        await background;
      }
      const summary = (list: Sample[]) => ({
        rps: median(list.map((s) => s.rps)),
        p50: median(list.map((s) => s.p50)),
        p99: median(list.map((s) => s.p99)),
        errors: list.reduce((sum, s) => sum + s.errors, 0),
      });
      const b = summary(samples.bare);
      const g = summary(samples.guildhall);
      rows.push([
        scenario.name,
        b.rps.toFixed(0),
        g.rps.toFixed(0),
        (g.rps / b.rps).toFixed(2),
        `${b.p50}/${b.p99}`,
        `${g.p50}/${g.p99}`,
        String(g.errors),
      ]);
    }
    const header = [
      'scenario',
      'bare req/s',
      'guildhall req/s',
      'ratio',
      'bare p50/p99 ms',
      'guildhall p50/p99 ms',
      'errors',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    if (only) return;
    const fanout = await measureFanout(
      `http://127.0.0.1:${guildhall.port}`,
      staff.Authorization.replace('Bearer ', ''),
      benchTicketId,
      Number(process.env.BENCH_SUBSCRIBERS ?? 1000),
      Number(process.env.BENCH_FANOUT_MESSAGES ?? 20),
    );
    console.log(
      `\nchat fan-out: a message POSTed over REST to ${fanout.subscribers} socket.io subscribers of one ` +
        `room, ${fanout.messages} messages: delivered ${fanout.delivered}/${fanout.subscribers * fanout.messages}, ` +
        `latency p50 ${fanout.p50} ms, p99 ${fanout.p99} ms`,
    );
    console.log(
      `guildhall resident memory after the runs: ${rssMb(guildhall.child.pid as number)} MB`,
    );
  } finally {
    bare.child.kill('SIGTERM');
    guildhall.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
