import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface Scenario {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (e.g. a new member for every redemption). */
  makeBody?: () => string;
  connections?: number;
  /** Load run against Guildhall at the same time as each of its measured runs (not measured). */
  background?: Scenario;
}

export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers and failed connections. */
  errors: number;
  /** 2xx answers. */
  ok: number;
}

export interface BenchServer {
  name: string;
  child: ChildProcess;
  port: number;
}

/** Starts a node script and waits for the line that names its port. */
export function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        output = '';
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ name, child, port: Number(match[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/**
 * Runs `scenario` against the port: `base.rate` caps the requests per second over all
 * connections (autocannon's overallRate), for measuring cost at a fixed load rather than speed.
 */
export async function measure(
  port: number,
  scenario: Scenario,
  base: { connections: number; duration: number; rate?: number },
): Promise<Sample> {
  const makeBody = scenario.makeBody;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${scenario.path}`,
    method: scenario.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
    requests: makeBody
      ? [{ setupRequest: (request) => ({ ...request, body: makeBody() }) }]
      : undefined,
    connections: scenario.connections ?? base.connections,
    duration: base.duration,
    ...(base.rate ? { overallRate: base.rate } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    ok: result['2xx'],
  };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS = 100;

/** The CPU time (user and system) a process has used so far, in seconds; NaN without /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Guildhall as an operator runs it (production, logging at info), with the abuse limits lifted. */
export function guildhallEnv(options: {
  dataDir: string;
  adminPass: string;
  apiKey: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    API_ADMIN_PASS: options.adminPass,
    API_EXTRA_USERS: `member:${options.adminPass}`,
    API_KEY: options.apiKey,
    // Measure the work, not the abuse limits.
    RATE_LIMIT_PER_MINUTE: '1000000',
    INVITES_GENERATE_PER_MINUTE: '1000000',
    TICKET_COOLDOWN_MINUTES: '0',
    // The fan-out's 1,000 subscribers are one staff user.
    SOCKET_MAX_PER_USER: '100000',
    LOG_LEVEL: 'info',
  };
}

/** The V8 flags `npm start` runs the server with (package.json `config.node_flags`). */
export function nodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    config?: { node_flags?: string };
  };
  return (pkg.config?.node_flags ?? '').split(' ').filter(Boolean);
}
