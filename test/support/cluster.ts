import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './guildhall-process';
import { ROOT } from './process';

/** Whether a command is on PATH (or in /usr/sbin, where Debian puts nginx). */
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

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** A redis-server of the test's own on a free port, which the test may stop and start again. */
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
    await eventually(async () => {
      if (!(await answers(this.port))) throw new Error('redis-server does not answer yet');
    }, 10_000);
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child);
    this.child = undefined;
  }
}

/**
 * nginx in front of the given instances, with the committed locations of deploy/nginx included
 * unchanged; only the upstreams, the listener and the file paths are the test's. Each access log line
 * is `<upstream address> <status> <uri>`.
 */
export class Nginx {
  private child: ChildProcess | undefined;
  readonly accessLog: string;

  private constructor(
    private readonly binary: string,
    private readonly dir: string,
    readonly port: number,
  ) {
    this.accessLog = join(dir, 'access.log');
  }

  static async start(binary: string, dir: string, instancePorts: number[]): Promise<Nginx> {
    const nginx = new Nginx(binary, dir, await freePort());
    mkdirSync(join(dir, 'conf.d'), { recursive: true });
    mkdirSync(join(dir, 'temp'), { recursive: true });
    for (const file of ['guildhall-locations.inc', 'guildhall-proxy.inc'])
      copyFileSync(join(ROOT, 'deploy', 'nginx', file), join(dir, 'conf.d', file));
    const servers = instancePorts.map(
      (port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`,
    );
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  log_format upstream '$upstream_addr $status $request_uri';
  access_log ${nginx.accessLog} upstream;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  upstream guildhall { ${servers.join(' ')} keepalive 16; }
  upstream guildhall_sockets { hash $remote_addr consistent; ${servers.join(' ')} }
  server {
    listen 127.0.0.1:${nginx.port};
    include conf.d/guildhall-locations.inc;
  }
}
`,
    );
    execFileSync(binary, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' });
    nginx.child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    await eventually(async () => {
      if (!(await answers(nginx.port))) throw new Error('nginx does not answer yet');
    }, 10_000);
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
