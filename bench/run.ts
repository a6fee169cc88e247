/**
 * `npm run bench`: Guildhall against two baselines in the same run, alternating rounds with the same
 * connections and duration — a bare node:http server, and the framework floor (a bare Nest 11 app
 * answering with a body of the ticket list's size). Prints req/s, p50/p99 latency and the ratios for
 * every scenario, the redemption, fan-out and memory figures, checks them against the targets, and
 * writes everything to bench/results.json.
 *
 *   BENCH_DURATION (s, default 5)  BENCH_CONNECTIONS (default 50)  BENCH_ROUNDS (default 3)
 *   BENCH_SUBSCRIBERS (default 1000)  BENCH_FANOUT_MESSAGES (default 20)
 *   BENCH_ONLY (a regular expression: only the scenarios whose name matches; `fan-out` for the fan-out)
 *   SQLITE_SYNCHRONOUS (FULL or NORMAL) is handed to Guildhall when set, to compare the two.
 *   BENCH_SETTLE_MS (default 10000): how long after the runs resident memory is read again.
 *   BENCH_CPU_RATE (req/s): after each scenario's rounds, as many more Guildhall runs at this fixed
 *     rate, reporting the median CPU time per request. Req/s at saturation swings with whatever
 *     else the machine runs; CPU per request at a rate the server keeps up with swings far less,
 *     so compare builds by it.
 *   BENCH_CPU_PROF (a directory): Guildhall writes a V8 CPU profile there when it stops.
 *   BENCH_HEAP_SNAPSHOT (a directory): Guildhall writes a V8 heap snapshot there after the
 *     settled memory reading, to see what stays resident.
 *
 * `npm run bench -- --scale` measures two instances behind nginx instead (see scale.ts).
 *
 * Guildhall runs in production mode with logging at `info`, as an operator runs it.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureFanout } from './fanout';
import { runScale } from './scale';
import {
  type BenchServer,
  cpuSeconds,
  guildhallEnv,
  measure,
  median,
  nodeFlags,
  rssMb,
  type Sample,
  type Scenario,
  startServer,
} from './harness';
import { Guildhall, redeemCode } from './guildhall-client';

const API_KEY = randomBytes(24).toString('hex');
const ADMIN_PASS = randomBytes(12).toString('hex');
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const settleMs = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
const cpuRate = Number(process.env.BENCH_CPU_RATE ?? 0);
const heapSnapshotDir = process.env.BENCH_HEAP_SNAPSHOT;

interface Row {
  scenario: string;
  bare: Sample;
  floor: Sample;
  guildhall: Sample;
  ratio_to_floor: number;
  ratio_to_bare: number;
  /** Median CPU µs per request at BENCH_CPU_RATE, when set. */
  cpu_us_per_request?: number;
  check?: string;
}

function scenarios(g: Guildhall): (Scenario & { check?: (row: Row) => string | undefined })[] {
  const partner = { 'X-API-Key': API_KEY };
  let member = 700000000000000000n;
  let redemptions = 0;
  const bulkEmails = Array.from(
    { length: 500 },
    (_, i) => `Person ${i} <person.${i}@example.com>`,
  ).join('\n');
  const bulk: Scenario = {
    name: 'POST /bulk_email_accept (500 addresses)',
    method: 'POST',
    path: '/bulk_email_accept',
    headers: partner,
    body: JSON.stringify({ emails: bulkEmails, send_emails: false }),
    connections: 4,
  };
  const atLeast =
    (share: number, p99?: number) =>
    (row: Row): string => {
      const ok = row.ratio_to_floor >= share && (p99 === undefined || row.guildhall.p99 <= p99);
      const want = `≥ ${share * 100} % of the floor${p99 === undefined ? '' : `, p99 ≤ ${p99} ms`}`;
      return `${ok ? 'met' : 'NOT met'}: ${want}`;
    };
  return [
    { name: 'GET /api/health', path: '/api/health' },
    {
      name: 'staff GET /api/tickets (20 tickets, 5 messages each)',
      path: '/api/tickets',
      headers: g.staff,
      check: atLeast(0.5, 25),
    },
    {
      name: 'member GET /api/tickets/my',
      path: '/api/tickets/my',
      headers: g.member,
      check: atLeast(0.5),
    },
    {
      name: 'POST /api/tickets/:id/messages (staff)',
      method: 'POST',
      path: `/api/tickets/${g.fanoutTicket}/messages`,
      headers: g.staff,
      body: JSON.stringify({ content: 'A reply from the benchmark, stored and fanned out.' }),
      check: atLeast(0.2),
    },
    {
      name: 'POST /generate_code',
      method: 'POST',
      path: '/generate_code',
      headers: partner,
      body: JSON.stringify({ role: 'BC1', max_uses: 1, code_length: 16 }),
    },
    {
      name: 'POST /api/invites/redeem (one code, a new member each)',
      method: 'POST',
      path: '/api/invites/redeem',
      headers: partner,
      makeBody: () =>
        JSON.stringify({
          code: redeemCode(redemptions++),
          discord_user_id: String((member += 1n)),
        }),
      check: (row) =>
        `${row.guildhall.rps >= 2000 ? 'met' : 'NOT met'}: ≥ 2,000 redemptions/s (errors: ${row.guildhall.errors})`,
    },
    bulk,
    {
      name: 'staff GET /api/tickets while bulk_email_accept runs',
      path: '/api/tickets',
      headers: g.staff,
      background: { ...bulk, connections: 1 },
    },
  ];
}

async function main(): Promise<void> {
  if (process.argv.includes('--scale')) return runScale();
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-bench-'));
  const servers: BenchServer[] = [];
  try {
    const bare = await startServer(
      'bare',
      join(__dirname, 'bare-server.js'),
      {},
      /listening (\d+)/,
    );
    servers.push(bare);
    const guildhall = await startServer(
      'guildhall',
      join(__dirname, '..', 'src', 'main.js'),
      {
        ...guildhallEnv({ dataDir, adminPass: ADMIN_PASS, apiKey: API_KEY }),
        ...(process.env.SQLITE_SYNCHRONOUS
          ? { SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS }
          : {}),
      },
      /Guildhall listening on http:\/\/localhost:(\d+)/,
      // The V8 flags `npm start` runs the server with.
      [
        ...nodeFlags(),
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),
        ...(heapSnapshotDir
          ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapSnapshotDir}`]
          : []),
      ],
    );
    servers.push(guildhall);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = rssMb(guildhall.child.pid as number);

    const g = await Guildhall.prepare(`http://127.0.0.1:${guildhall.port}`, ADMIN_PASS, API_KEY);
    const bodyFile = join(dataDir, 'floor-body.json');
    writeFileSync(bodyFile, await g.ticketListBody());
    const floor = await startServer(
      'floor',
      join(__dirname, 'nest-floor.js'),
      { NODE_ENV: 'production', FLOOR_BODY_FILE: bodyFile },
      /listening (\d+)/,
    );
    servers.push(floor);

    console.log(
      `bench: ${connections} connections, ${duration} s per run, ${rounds} alternating rounds; ` +
        `guildhall idle RSS ${idleRss} MB\n`,
    );
    const rows: Row[] = [];
    for (const scenario of scenarios(g)) {
      if (only && !only.test(scenario.name)) continue;
      const samples = { bare: [] as Sample[], floor: [] as Sample[], guildhall: [] as Sample[] };
      const base = { connections, duration };
      await measure(guildhall.port, scenario, base); // warm-up, not counted
      for (let round = 0; round < rounds; round += 1) {
        samples.bare.push(await measure(bare.port, scenario, base));
        samples.floor.push(await measure(floor.port, scenario, base));
        const background =
          scenario.background && measure(guildhall.port, scenario.background, base);
        samples.guildhall.push(await measure(guildhall.port, scenario, base));
        await background;
      }
      const summary = (list: Sample[]): Sample => ({
        rps: median(list.map((s) => s.rps)),
        p50: median(list.map((s) => s.p50)),
        p99: median(list.map((s) => s.p99)),
        errors: list.reduce((sum, s) => sum + s.errors, 0),
        ok: list.reduce((sum, s) => sum + s.ok, 0),
      });
      const row: Row = {
        scenario: scenario.name,
        bare: summary(samples.bare),
        floor: summary(samples.floor),
        guildhall: summary(samples.guildhall),
        ratio_to_floor: 0,
        ratio_to_bare: 0,
      };
      row.ratio_to_floor = round2(row.guildhall.rps / row.floor.rps);
      row.ratio_to_bare = round2(row.guildhall.rps / row.bare.rps);
      if (cpuRate > 0) {
        const pid = guildhall.child.pid as number;
        const perRequest: number[] = [];
        for (let round = 0; round < rounds; round += 1) {
          const before = cpuSeconds(pid);
          const sample = await measure(guildhall.port, scenario, { ...base, rate: cpuRate });
          perRequest.push(((cpuSeconds(pid) - before) * 1e6) / Math.max(1, sample.ok));
        }
        row.cpu_us_per_request = Math.round(median(perRequest));
      }
      row.check = scenario.check?.(row);
      rows.push(row);
    }
    printTable(rows);

    const extras: Record<string, unknown> = {};
    if (!only || only.test('messages')) {
      const posted = rows.find((r) => r.scenario.startsWith('POST /api/tickets/:id/messages'));
      if (posted) {
        const stored = await g.messageCount(g.fanoutTicket);
        // Every acknowledged POST (warm-up included) is stored.
        extras.messages_stored = stored;
        console.log(`\nmessages stored on the bench ticket: ${stored}`);
      }
    }
    if (!only || only.test('exact')) {
      const exact = await g.concurrentRedemptions(1000, 100);
      extras.redemption_exactness = exact;
      console.log(
        `\n1,000 concurrent redemptions of one code (max_uses 100): ${exact.redeemed} redeemed, ` +
          `${exact.refused} refused, ${exact.other} other, in ${exact.ms} ms ` +
          `(${exact.perSecond}/s) — ${exact.redeemed === 100 && exact.other === 0 ? 'exact' : 'NOT exact'}`,
      );
    }
    if (!only || only.test('fan-out')) {
      const fanout = await measureFanout(
        g.baseUrl,
        g.staffToken,
        g.fanoutTicket,
        Number(process.env.BENCH_SUBSCRIBERS ?? 1000),
        Number(process.env.BENCH_FANOUT_MESSAGES ?? 20),
      );
      extras.fanout = fanout;
      const lost = fanout.subscribers * fanout.messages - fanout.delivered;
      console.log(
        `\nchat fan-out: a message POSTed over REST to ${fanout.subscribers} socket.io subscribers ` +
          `of one room (in this process, not the server's), ${fanout.messages} messages: ` +
          `delivered ${fanout.delivered}/${fanout.subscribers * fanout.messages}, latency p50 ` +
          `${fanout.p50} ms, p99 ${fanout.p99} ms — ` +
          `${fanout.p99 <= 50 && lost === 0 ? 'met' : 'NOT met'}: p99 ≤ 50 ms, none lost`,
      );
    }
    const afterRss = rssMb(guildhall.child.pid as number);
    // What stays resident once the load is gone: V8 gives back its young generation and shrinks
    // the heap only after some seconds of low allocation.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const settledRss = rssMb(guildhall.child.pid as number);
    const memory = await g.memory();
    console.log(
      `\nguildhall resident memory: ${idleRss} MB idle after boot, ${afterRss} MB right after the ` +
        `runs, ${settledRss} MB ${settleMs / 1000} s later (V8 heap ${memory.heapUsedMb} MB used of ` +
        `${memory.heapTotalMb} MB, ${memory.externalMb} MB external) — ` +
        `${idleRss <= 150 && settledRss <= 200 ? 'met' : 'NOT met'}: ≤ 150 MB / ≤ 200 MB`,
    );
    if (heapSnapshotDir) {
      const file = await heapSnapshot(guildhall.child, heapSnapshotDir);
      console.log(`\nheap snapshot: ${file}`);
    }
    const results = {
      at: new Date().toISOString(),
      node: process.version,
      settings: { connections, duration, rounds },
      scenarios: rows,
      ...extras,
      rss_mb: { idle: idleRss, after: afterRss, settled: settledRss },
      heap_mb: memory,
    };
    writeFileSync(
      join(__dirname, '..', '..', 'bench', 'results.json'),
      JSON.stringify(results, null, 2) + '\n',
    );
    console.log('\nwrote bench/results.json');
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Asks the server for a heap snapshot and waits until the file is written completely. */
async function heapSnapshot(child: ChildProcess, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  child.kill('SIGUSR2');
  for (let lastSize = -1; ;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const name = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!name) continue;
    const size = statSync(join(dir, name)).size;
    if (size > 0 && size === lastSize) return join(dir, name);
    lastSize = size;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function printTable(rows: Row[]): void {
  const header = [
    'scenario',
    'bare req/s',
    'floor req/s',
    'guildhall req/s',
    '/floor',
    '/bare',
    'guildhall p50/p99 ms',
    'errors',
    ...(cpuRate > 0 ? [`CPU µs/req at ${cpuRate}/s`] : []),
  ];
  const cells = rows.map((r) => [
    r.scenario,
    r.bare.rps.toFixed(0),
    r.floor.rps.toFixed(0),
    r.guildhall.rps.toFixed(0),
    r.ratio_to_floor.toFixed(2),
    r.ratio_to_bare.toFixed(2),
    `${r.guildhall.p50}/${r.guildhall.p99}`,
    String(r.guildhall.errors),
    ...(cpuRate > 0 ? [String(r.cpu_us_per_request ?? '')] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
  const checks = rows.filter((r) => r.check);
  if (checks.length > 0) console.log('');
  for (const r of checks) console.log(`${r.scenario}: ${r.check}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
