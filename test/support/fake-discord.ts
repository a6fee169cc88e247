import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
  avatar?: string | null;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: string;
  authorization?: string;
}

/**
 * A local stand-in for Discord's OAuth2 and REST API, speaking its HTTP shapes under `/api/v10`.
 * Point DISCORD_API_BASE at `base`. Every call is recorded.
 */
export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly clientId = '100000000000000001';
  readonly clientSecret = 'fake-client-secret';
  readonly guildId = '200000000000000002';
  private readonly codes = new Map<string, string>();
  private readonly tokens = new Map<string, FakeDiscordUser>();
  private readonly members = new Map<string, { roles: string[]; nick: string | null }>();
  private server?: Server;
  private counter = 0;
  url = '';
  /** Where GET /gateway/bot sends clients (set when a FakeDiscordGateway runs beside this). */
  gatewayUrl = '';
  readonly applicationId = '100000000000000001';

  get base(): string {
    return `${this.url}/api`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A Discord user; `roles: null` means not a member of the guild. Returns a fresh authorization code. */
  addUser(user: FakeDiscordUser, roles: string[] | null, nick: string | null = null): string {
    if (roles) this.members.set(user.id, { roles, nick });
    else this.members.delete(user.id);
    return this.codeFor(user);
  }

  codeFor(user: FakeDiscordUser): string {
    this.counter += 1;
    const code = `code-${this.counter}`;
    const token = `access-${this.counter}`;
    this.codes.set(code, token);
    this.tokens.set(token, user);
    return code;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const path = (req.url ?? '').split('?')[0];
    this.calls.push({
      method: req.method ?? '',
      path,
      body,
      authorization: req.headers.authorization,
    });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');

    if (req.method === 'POST' && path === '/api/v10/oauth2/token') {
      const form = new URLSearchParams(body);
      const token = this.codes.get(form.get('code') ?? '');
      const clientOk =
        form.get('client_id') === this.clientId && form.get('client_secret') === this.clientSecret;
      if (!token || !clientOk || form.get('grant_type') !== 'authorization_code') {
        json(400, { error: 'invalid_grant', error_description: 'Invalid "code" in request.' });
        return;
      }
      this.codes.delete(form.get('code') ?? '');
      json(200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 604800,
        refresh_token: `r-${token}`,
        scope: 'identify guilds.members.read',
      });
      return;
    }
    if (req.method === 'GET' && path === '/api/v10/gateway/bot') {
      return json(200, {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (req.method === 'GET' && path === '/api/v10/applications/@me') {
      return json(200, {
        id: this.applicationId,
        name: 'Guildhall',
        flags: 0,
        bot_public: false,
        description: '',
      });
    }
    const commands = /^\/api\/v10\/applications\/\d+(?:\/guilds\/\d+)?\/commands$/.exec(path);
    if (req.method === 'PUT' && commands) {
      const list = JSON.parse(body || '[]') as Record<string, unknown>[];
      return json(
        200,
        list.map((command, i) => ({
          ...command,
          id: String(300000000000000000n + BigInt(i)),
          application_id: this.applicationId,
          version: '1',
        })),
      );
    }
    const user = this.tokens.get(bearer);
    if (req.method === 'GET' && path === '/api/v10/users/@me') {
      if (!user) return json(401, { message: '401: Unauthorized', code: 0 });
      return json(200, { discriminator: '0', global_name: null, avatar: null, ...user });
    }
    const member = /^\/api\/v10\/users\/@me\/guilds\/(\d+)\/member$/.exec(path);
    if (req.method === 'GET' && member) {
      if (!user) return json(401, { message: '401: Unauthorized', code: 0 });
      const entry = member[1] === this.guildId ? this.members.get(user.id) : undefined;
      if (!entry) return json(404, { message: 'Unknown Guild', code: 10004 });
      return json(200, {
        user,
        roles: entry.roles,
        nick: entry.nick,
        joined_at: new Date().toISOString(),
      });
    }
    json(404, { message: '404: Not Found', code: 0 });
  }
}
