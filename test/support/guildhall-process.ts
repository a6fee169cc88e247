import type { StdioOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { freePort } from '../../bench/cluster';
import { eventually } from './eventually';
import { cleanEnv, MAIN, type RunningServer, startServer } from './process';

export const PROCESS_ADMIN_PASSWORD = 'process-admin-password';
export const PROCESS_API_KEY = 'process-legacy-api-key-0123456789';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** The built server as its own process on a data directory of the caller's, and a small client. */
export class GuildhallProcess {
  private constructor(
    readonly server: RunningServer,
    readonly url: string,
  ) {}

  static env(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
    return cleanEnv({
      DATA_DIR: dataDir,
      SECRET_KEY: 'process-secret-key-0123456789abcdefghijklmnop',
      API_ADMIN_PASS: PROCESS_ADMIN_PASSWORD,
      API_KEY: PROCESS_API_KEY,
      TICKET_COOLDOWN_MINUTES: '0',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...extra,
    });
  }

  /** Starts it and waits for its "listening" line. */
  static async start(
    dataDir: string,
    extra: Record<string, string> = {},
  ): Promise<GuildhallProcess> {
    const server = await startServer('node', [MAIN], {
      cwd: dirname(dataDir),
      env: GuildhallProcess.env(dataDir, extra),
    });
    return new GuildhallProcess(server, `http://127.0.0.1:${server.port}`);
  }

  /**
   * Starts it with its own stdio (stdout on /dev/full, say), so without its "listening" line: it
   * gets a free port and is polled until it answers.
   */
  static async startWithStdio(
    dataDir: string,
    stdio: StdioOptions,
    extra: Record<string, string> = {},
  ): Promise<GuildhallProcess> {
    const port = await freePort();
    const child = spawn('node', [MAIN], {
      cwd: dirname(dataDir),
      env: GuildhallProcess.env(dataDir, { PORT: String(port), ...extra }),
      stdio,
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
      await fetch(`${url}/health`);
    }, 60_000);
    return new GuildhallProcess({ child, port, output: () => output, exited }, url);
  }

  async request(
    method: string,
    path: string,
    options: { token?: string; apiKey?: string; body?: unknown } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['X-API-Key'] = options.apiKey;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text },
    };
  }

  async login(): Promise<string> {
    const res = await this.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: PROCESS_ADMIN_PASSWORD },
    });
    if (res.status !== 200) throw new Error(`login answered ${res.status}`);
    return res.body.token as string;
  }

  async openTicket(token: string): Promise<string> {
    const res = await this.request('POST', '/api/tickets', {
      token,
      body: { type: 'Support', subject: 'Storage', description: 'Messages that must not vanish.' },
    });
    if (res.status !== 201) throw new Error(`opening a ticket answered ${res.status}`);
    return res.body.ticket_id as string;
  }

  postMessage(token: string, ticketId: string, content: string): Promise<Answer> {
    return this.request('POST', `/api/tickets/${ticketId}/messages`, { token, body: { content } });
  }

  async messageContents(token: string, ticketId: string): Promise<Set<string>> {
    const res = await this.request('GET', `/api/tickets/${ticketId}/messages?limit=1000`, {
      token,
    });
    if (res.status !== 200) throw new Error(`listing messages answered ${res.status}`);
    return new Set((res.body.messages as { content: string }[]).map((m) => m.content));
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (this.server.child.exitCode === null) this.server.child.kill('SIGTERM');
    return this.server.exited;
  }

  async kill(): Promise<void> {
    if (this.server.child.exitCode === null) this.server.child.kill('SIGKILL');
    await this.server.exited;
  }
}

export { freePort };
