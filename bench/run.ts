/**
 * `npm run bench`: runs autocannon against a bare node:http server and against Guildhall, alternating
 * in several rounds with the same connections and duration, and prints req/s, p50/p99 latency and the
 * ratio to bare for every scenario, plus Guildhall's resident memory.
 *
 *   BENCH_DURATION (s, default 5)  BENCH_CONNECTIONS (default 50)  BENCH_ROUNDS (default 3)
 *
 * Modules add their routes to SCENARIOS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

interface Scenario {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const SCENARIOS: Scenario[] = [{ name: 'GET /api/health', path: '/api/health' }];

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
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${scenario.path}`,
    method: scenario.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
    connections,
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
      API_ADMIN_PASS: randomBytes(12).toString('hex'),
    },
    /Guildhall listening on http:\/\/localhost:(\d+)/,
  );
  console.log(
    `bench: ${connections} connections, ${duration} s per run, ${rounds} alternating rounds\n`,
  );
  try {
    const rows: string[][] = [];
    for (const scenario of SCENARIOS) {
      const samples = { bare: [] as Sample[], guildhall: [] as Sample[] };
      await measure(guildhall.port, scenario); // warm-up, not counted
      for (let round = 0; round < rounds; round += 1) {
        samples.bare.push(await measure(bare.port, { ...scenario, path: scenario.path }));
        samples.guildhall.push(await measure(guildhall.port, scenario));
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
    console.log(
      `\nguildhall resident memory after the runs: ${rssMb(guildhall.child.pid as number)} MB`,
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
