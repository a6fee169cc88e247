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
  /** What the fake answered. */
  status?: number;
}

export interface FakeChannel {
  id: string;
  name: string;
  type: number;
  guild_id: string;
  parent_id: string | null;
  position: number;
  permission_overwrites: { id: string; type: number; allow: string; deny: string }[];
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  nonce?: string | number;
  embeds?: Record<string, unknown>[];
  /** Files sent with the message: name and text. */
  files: { name: string; text: string }[];
}

export interface InteractionResponse {
  /** 4: reply, 5: deferred, then edits of the original reply. */
  type: number;
  content: string;
  flags: number;
  embeds?: Record<string, unknown>[];
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
  readonly botUser = { id: '110000000000000001', username: 'Guildhall' };
  /** Channels created through the REST API, by id. */
  readonly channels = new Map<string, FakeChannel>();
  /** Messages posted through the REST API, per channel, in the order Discord accepted them. */
  readonly messages = new Map<string, FakeMessage[]>();
  /** Responses to interactions, by interaction token. */
  readonly responses = new Map<string, InteractionResponse[]>();
  /** While true every REST route answers 500 (Discord having a bad day). */
  outage = false;
  /** While true a posted message is created but its answer is held until `releaseStalled()`. */
  stallMessagePosts = false;
  private readonly stalled: (() => void)[] = [];
  /** Receives what Discord would push to the bot over the gateway (CHANNEL_CREATE, MESSAGE_CREATE). */
  onGatewayEvent: (type: string, data: unknown) => void = () => undefined;
  private snowflake = 500000000000000000n;

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

  /** Sends the answers held back by `stallMessagePosts` (to whoever still listens). */
  releaseStalled(): void {
    this.stallMessagePosts = false;
    for (const resolve of this.stalled.splice(0)) resolve();
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.releaseStalled();
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

  /** Role grants Discord accepted: `PUT /guilds/{g}/members/{u}/roles/{r}` answered 204. */
  roleGrants(): { userId: string; roleId: string }[] {
    return this.calls
      .filter(
        (c) => c.method === 'PUT' && c.status === 204 && /\/members\/\d+\/roles\//.test(c.path),
      )
      .map((c) => {
        const [, userId, roleId] = /\/members\/(\d+)\/roles\/(\d+)$/.exec(c.path) ?? [];
        return { userId, roleId };
      });
  }

  /** The final answer to an interaction (its last reply or edit), once there is one. */
  answerTo(token: string): InteractionResponse {
    const last = this.responses.get(token)?.at(-1);
    if (!last || last.type === 5) throw new Error(`no answer yet to interaction ${token}`);
    return last;
  }

  private nextId(): string {
    this.snowflake += 1n;
    return String(this.snowflake);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const [rawPath, search = ''] = (req.url ?? '').split('?');
    const path = decodeURIComponent(rawPath);
    const call: RecordedCall = {
      method: req.method ?? '',
      path,
      body,
      authorization: req.headers.authorization,
    };
    this.calls.push(call);
    const json = (status: number, value?: unknown) => {
      call.status = status;
      if (value === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (this.outage && path !== '/api/v10/gateway/bot') {
      return json(500, { message: '500: Internal Server Error', code: 0 });
    }
    if (this.handleBot(req.method ?? '', path, search, body, req.headers, json)) return;
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

  /** The bot's REST routes (interaction callbacks carry no token). False for a route it does not know. */
  private handleBot(
    method: string,
    path: string,
    search: string,
    body: string,
    headers: IncomingMessage['headers'],
    json: (status: number, value?: unknown) => void,
  ): boolean {
    const route = (pattern: RegExp) => pattern.exec(path);
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = route(/^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const payload = JSON.parse(body) as {
        type: number;
        data?: { content?: string; flags?: number; embeds?: Record<string, unknown>[] };
      };
      this.respond(m[2], {
        type: payload.type,
        content: payload.data?.content ?? '',
        flags: payload.data?.flags ?? 0,
        embeds: payload.data?.embeds,
      });
      if (new URLSearchParams(search).get('with_response') === 'true') {
        json(200, { interaction: { id: m[1], type: 2 }, resource: { type: payload.type } });
      } else json(204);
      return true;
    }
    if (
      method === 'PATCH' &&
      (m = route(/^\/api\/v10\/webhooks\/\d+\/([^/]+)\/messages\/@original$/))
    ) {
      const payload = JSON.parse(body) as {
        content?: string;
        flags?: number;
        embeds?: Record<string, unknown>[];
      };
      const previous = this.responses.get(m[1])?.at(-1);
      this.respond(m[1], {
        type: 7,
        content: payload.content ?? '',
        flags: payload.flags ?? previous?.flags ?? 0,
        embeds: payload.embeds,
      });
      json(200, this.messageObject('0', payload.content ?? ''));
      return true;
    }
    if (method === 'PUT' && route(/^\/api\/v10\/guilds\/\d+\/members\/\d+\/roles\/\d+$/)) {
      json(204);
      return true;
    }
    if (method === 'GET' && route(/^\/api\/v10\/guilds\/\d+\/channels$/)) {
      json(200, [...this.channels.values()]);
      return true;
    }
    if (method === 'POST' && (m = route(/^\/api\/v10\/guilds\/(\d+)\/channels$/))) {
      const input = JSON.parse(body) as Partial<FakeChannel>;
      const channel: FakeChannel = {
        id: this.nextId(),
        name: input.name ?? 'channel',
        type: input.type ?? 0,
        guild_id: m[1],
        parent_id: input.parent_id ?? null,
        position: this.channels.size + 10,
        permission_overwrites: (input.permission_overwrites ?? []).map((o) => ({
          id: o.id,
          type: o.type,
          allow: String(o.allow ?? '0'),
          deny: String(o.deny ?? '0'),
        })),
      };
      this.channels.set(channel.id, channel);
      this.onGatewayEvent('CHANNEL_CREATE', channel);
      json(201, channel);
      return true;
    }
    if (method === 'PUT' && (m = route(/^\/api\/v10\/channels\/(\d+)\/permissions\/(\d+)$/))) {
      const channel = this.channels.get(m[1]);
      if (!channel) {
        json(404, { message: 'Unknown Channel', code: 10003 });
        return true;
      }
      const input = JSON.parse(body) as { type: number; allow?: string; deny?: string };
      channel.permission_overwrites = [
        ...channel.permission_overwrites.filter((o) => o.id !== m?.[2]),
        {
          id: m[2],
          type: input.type,
          allow: String(input.allow ?? '0'),
          deny: String(input.deny ?? '0'),
        },
      ];
      json(204);
      return true;
    }
    if (method === 'POST' && (m = route(/^\/api\/v10\/channels\/(\d+)\/messages$/))) {
      const { payload, files } = parseMessageBody(body, headers['content-type'] ?? '');
      const list = this.messages.get(m[1]) ?? [];
      // enforce_nonce: the same nonce from the same author returns the message already created.
      const existing =
        payload.nonce !== undefined && payload.enforce_nonce
          ? list.find((message) => message.nonce === payload.nonce)
          : undefined;
      if (existing) {
        json(200, this.messageObject(m[1], existing.content, existing.id));
        return true;
      }
      const message: FakeMessage = {
        id: this.nextId(),
        channel_id: m[1],
        content: payload.content ?? '',
        nonce: payload.nonce,
        embeds: payload.embeds,
        files,
      };
      list.push(message);
      this.messages.set(m[1], list);
      const created = this.messageObject(m[1], message.content, message.id);
      this.onGatewayEvent('MESSAGE_CREATE', { ...created, guild_id: this.guildId });
      // Created, but the answer is held back (an instance killed while it waits for it).
      if (this.stallMessagePosts) this.stalled.push(() => json(200, created));
      else json(200, created);
      return true;
    }
    return false;
  }

  private respond(token: string, response: InteractionResponse): void {
    this.responses.set(token, [...(this.responses.get(token) ?? []), response]);
  }

  private messageObject(channelId: string, content: string, id = this.nextId()) {
    const author = {
      ...this.botUser,
      discriminator: '0',
      avatar: null,
      global_name: null,
      bot: true,
    };
    return discordMessage(id, channelId, author, content);
  }
}

/** A message object as Discord returns it from REST and pushes it in MESSAGE_CREATE. */
export function discordMessage(id: string, channelId: string, author: object, content: string) {
  return {
    id,
    channel_id: channelId,
    type: 0,
    content,
    author,
    attachments: [],
    embeds: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    flags: 0,
    components: [],
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
  };
}

interface MessagePayload {
  content?: string;
  embeds?: Record<string, unknown>[];
  nonce?: string | number;
  enforce_nonce?: boolean;
}

/** A message body as discord.js sends it: JSON, or multipart with `payload_json` and files. */
function parseMessageBody(
  body: string,
  contentType: string,
): { payload: MessagePayload; files: { name: string; text: string }[] } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return { payload: JSON.parse(body) as MessagePayload, files: [] };
  let payload: MessagePayload = {};
  const files: { name: string; text: string }[] = [];
  for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const [head, ...rest] = part.split('\r\n\r\n');
    const text = rest.join('\r\n\r\n').replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(head)?.[1];
    const filename = /filename="([^"]+)"/.exec(head)?.[1];
    if (name === 'payload_json') payload = JSON.parse(text) as MessagePayload;
    else if (filename) files.push({ name: filename, text });
  }
  return { payload, files };
}
