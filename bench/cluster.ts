/**
 * Processes a deployment of several instances needs beside Guildhall: a redis-server of its own and
 * nginx with the committed locations of deploy/nginx. Used by `npm run bench -- --scale` and by the
 * scale-out test suite.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';

/** The repository root (this file runs from bench/ under ts-jest and from dist/bench when built). */
export const REPO_ROOT =
  basename(dirname(__dirname)) === 'dist' ? join(__dirname, '..', '..') : join(__dirname, '..');

/** The command's path when it is installed (Debian puts nginx in /usr/sbin). */
export function installed(command: string, versionArgs = ['-v']): string | undefined {
  for (const candidate of [command, `/usr/sbin/${command}`, `/usr/bin/${command}`]) {
    try {
      execFileSync(candidate, versionArgs, { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * A port nothing listens on, below Linux's ephemeral range (32768+): a port the kernel handed out
 * for port 0 could be handed to another server before the child binds it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function untilAnswers(port: number, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(port))) {
    if (Date.now() > deadline) throw new Error(`${what} does not answer on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** A redis-server on a free port, keeping nothing on disk; it may be stopped and started again. */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async start(binary: string): Promise<RedisServer> {
    const server = new RedisServer(binary, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      this.binary,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await untilAnswers(this.port, 'redis-server');
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGTERM');
    this.child = undefined;
  }
}

export interface NginxOptions {
  /** Socket.IO connections hashed by client address, as deployed (default), or spread round-robin. */
  stickySockets?: boolean;
}

/**
 * nginx in front of the given instance ports, including the committed locations unchanged; only the
 * upstreams, the listener and the file paths are its own. Each access log line is
 * `<upstream address> <status> <uri>`.
 */
export class Nginx {
  private child: ChildProcess | undefined;
  readonly accessLog: string;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.accessLog = join(dir, 'access.log');
  }

  static async start(
    binary: string,
    dir: string,
    instancePorts: number[],
    options: NginxOptions = {},
  ): Promise<Nginx> {
    const nginx = new Nginx(dir, await freePort());
    mkdirSync(join(dir, 'conf.d'), { recursive: true });
    mkdirSync(join(dir, 'temp'), { recursive: true });
    for (const file of ['guildhall-locations.inc', 'guildhall-proxy.inc'])
      copyFileSync(join(REPO_ROOT, 'deploy', 'nginx', file), join(dir, 'conf.d', file));
    const servers = instancePorts
      .map((port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`)
      .join(' ');
    const sticky = options.stickySockets === false ? '' : 'hash $remote_addr consistent;';
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((kind) => `${kind}_temp_path ${dir}/temp/${kind};`)
      .join('\n  ');
    const config = join(dir, 'nginx.conf');
    writeFileSync(
      config,
      `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  log_format upstream '$upstream_addr $status $request_uri';
  access_log ${nginx.accessLog} upstream;
  ${temp}
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  upstream guildhall { ${servers} keepalive 64; }
  upstream guildhall_sockets { ${sticky} ${servers} }
  server {
    listen 127.0.0.1:${nginx.port};
    include conf.d/guildhall-locations.inc;
  }
}
`,
    );
    execFileSync(binary, ['-t', '-p', dir, '-c', config], { stdio: 'pipe' });
    nginx.child = spawn(binary, ['-p', dir, '-c', config], { stdio: 'ignore' });
    await untilAnswers(nginx.port, 'nginx');
    return nginx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGQUIT');
    this.child = undefined;
  }
}
