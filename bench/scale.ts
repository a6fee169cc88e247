/**
 * `npm run bench -- --scale`: two Guildhall instances on one PostgreSQL schema and one Redis, behind
 * nginx with the committed locations. Measures
 *
 * - the chat fan-out with its subscribers spread over both instances through nginx (target: p99
 *   ≤ 60 ms at 1,000 subscribers, none lost), the messages POSTed through nginx as well;
 * - the authenticated ticket list through nginx with one instance behind it and with two, in
 *   alternating rounds, and the ratio of the two.
 *
 *   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_REDIS_URL (default redis://127.0.0.1:6379; keys under a prefix of their own)
 *   BENCH_DURATION, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_SUBSCRIBERS, BENCH_FANOUT_MESSAGES as in run.ts
 *   BENCH_ONLY (a regular expression matched against "ticket list" and "fan-out")
 *
 * Results go to bench/results-scale.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../src/core/database';
import { installed, Nginx } from './cluster';
import { measureFanout } from './fanout';
import { Guildhall } from './guildhall-client';
import {
  type BenchServer,
  guildhallEnv,
  measure,
  median,
  nodeFlags,
  type Sample,
  startServer,
} from './harness';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const runs = (part: string) => !only || only.test(part);

export async function runScale(): Promise<void> {
  const nginxBinary = installed('nginx');
  if (!nginxBinary)
    throw new Error('the scale benchmark needs nginx (apt-get install nginx-light)');
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const dir = mkdtempSync(join(tmpdir(), 'guildhall-bench-scale-'));
  const scratch = await createScratchDatabase('postgres', databaseUrl);
  const adminPass = randomBytes(12).toString('hex');
  const apiKey = randomBytes(24).toString('hex');
  const shared = {
    DATABASE_URL: databaseUrl,
    DB_SCHEMA: scratch.database.schema as string,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}:`,
    // Both instances sign and check the same tokens.
    SECRET_KEY: randomBytes(32).toString('hex'),
    TRUST_PROXY: 'loopback',
  };
  const servers: BenchServer[] = [];
  const proxies: Nginx[] = [];
  try {
    for (const name of ['a', 'b']) {
      // One after the other: the first migrates the schema.
      servers.push(
        await startServer(
          `guildhall-${name}`,
          join(__dirname, '..', 'src', 'main.js'),
          {
            ...guildhallEnv({ dataDir: join(dir, name), adminPass, apiKey }),
            ...shared,
            INSTANCE_ID: `bench-${name}`,
          },
          /Guildhall listening on http:\/\/localhost:(\d+)/,
          nodeFlags(),
        ),
      );
    }
    const ports = servers.map((s) => s.port);
    // Sockets spread round-robin: the bench's clients all come from one address.
    const one = await Nginx.start(nginxBinary, join(dir, 'nginx-one'), ports.slice(0, 1), {
      stickySockets: false,
    });
    const two = await Nginx.start(nginxBinary, join(dir, 'nginx-two'), ports, {
      stickySockets: false,
    });
    proxies.push(one, two);
    const g = await Guildhall.prepare(two.url, adminPass, apiKey);
    console.log(
      `bench --scale: 2 instances on PostgreSQL and Redis behind nginx; ${connections} connections, ` +
        `${duration} s per run, ${rounds} alternating rounds\n`,
    );

    const ticketList = runs('ticket list') ? await measureList(g, one, two) : undefined;
    const fanout = runs('fan-out') ? await measureSpreadFanout(g, two) : undefined;
    writeFileSync(
      join(__dirname, '..', '..', 'bench', 'results-scale.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          node: process.version,
          settings: { connections, duration, rounds },
          ticket_list: ticketList,
          fanout,
        },
        null,
        2,
      ) + '\n',
    );
    console.log('\nwrote bench/results-scale.json');
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(
      servers.map((server) => new Promise((resolve) => server.child.once('exit', resolve))),
    );
    await scratch.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The staff ticket list through nginx with one instance behind it and with two, alternating. */
async function measureList(g: Guildhall, one: Nginx, two: Nginx) {
  const list = { name: 'GET /api/tickets (staff)', path: '/api/tickets', headers: g.staff };
  const base = { connections, duration };
  const samples = { one: [] as Sample[], two: [] as Sample[] };
  await measure(two.port, list, base); // warm-up, not counted
  for (let round = 0; round < rounds; round += 1) {
    samples.one.push(await measure(one.port, list, base));
    samples.two.push(await measure(two.port, list, base));
  }
  const summary = (runs: Sample[]) => ({
    rps: Math.round(median(runs.map((s) => s.rps))),
    p50: median(runs.map((s) => s.p50)),
    p99: median(runs.map((s) => s.p99)),
    errors: runs.reduce((sum, s) => sum + s.errors, 0),
  });
  const ticketList = {
    one_instance: summary(samples.one),
    two_instances: summary(samples.two),
    ratio: 0,
  };
  ticketList.ratio =
    Math.round((ticketList.two_instances.rps / ticketList.one_instance.rps) * 100) / 100;
  console.log(
    `${list.name} through nginx: one instance ${ticketList.one_instance.rps} req/s ` +
      `(p99 ${ticketList.one_instance.p99} ms), two instances ${ticketList.two_instances.rps} ` +
      `req/s (p99 ${ticketList.two_instances.p99} ms) — ratio ${ticketList.ratio}`,
  );

  return ticketList;
}

/** The chat fan-out through nginx, subscribers spread over both instances. */
async function measureSpreadFanout(g: Guildhall, two: Nginx) {
  const logFrom = readFileSync(two.accessLog, 'utf8').length;
  const fanout = await measureFanout(
    two.url,
    g.staffToken,
    g.fanoutTicket,
    Number(process.env.BENCH_SUBSCRIBERS ?? 1000),
    Number(process.env.BENCH_FANOUT_MESSAGES ?? 20),
  );
  // nginx logs a WebSocket when it closes: which instance each subscriber was on.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const perInstance: Record<string, number> = {};
  for (const line of readFileSync(two.accessLog, 'utf8').slice(logFrom).split('\n'))
    if (line.includes('/socket.io/')) {
      const upstream = line.split(' ')[0];
      perInstance[upstream] = (perInstance[upstream] ?? 0) + 1;
    }
  const lost = fanout.subscribers * fanout.messages - fanout.delivered;
  const met = fanout.p99 <= 60 && lost === 0;
  console.log(
    `\nchat fan-out through nginx to ${fanout.subscribers} subscribers on two instances ` +
      `(${Object.values(perInstance).join(' + ')}), ${fanout.messages} messages: delivered ` +
      `${fanout.delivered}/${fanout.subscribers * fanout.messages}, latency p50 ${fanout.p50} ms, ` +
      `p99 ${fanout.p99} ms — ${met ? 'met' : 'NOT met'}: p99 ≤ 60 ms, none lost`,
  );
  return { ...fanout, lost, subscribers_per_instance: perInstance };
}
