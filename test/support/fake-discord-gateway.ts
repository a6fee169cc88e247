import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { discordMessage } from './fake-discord';

export interface FakeGuild {
  id: string;
  name: string;
  channels: {
    id: string;
    name: string;
    type: number;
    parent_id?: string | null;
    position?: number;
  }[];
  roles: { id: string; name: string; position?: number; color?: number }[];
}

export interface FakeMember {
  id: string;
  username: string;
  global_name?: string | null;
  avatar?: string | null;
  roles?: string[];
}

/**
 * The gateway half of the fake Discord: HELLO, heartbeat ACKs, IDENTIFY → READY + GUILD_CREATE, and
 * dispatches pushed by the test (INTERACTION_CREATE, MESSAGE_CREATE, ...).
 */
export class FakeDiscordGateway {
  readonly identified: unknown[] = [];
  /** The bot's presence updates (op 3), in order. */
  readonly presences: { activities: { name: string; type: number }[]; status: string }[] = [];
  private http?: Server;
  private wss?: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  private ids = 600000000000000000n;
  url = '';

  constructor(
    private readonly bot: { id: string; username: string; applicationId: string },
    private readonly guild: FakeGuild,
  ) {}

  async start(): Promise<this> {
    this.http = createServer();
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (socket) => this.accept(socket));
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    this.url = `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise((resolve) => this.wss?.close(resolve));
    this.http?.closeAllConnections();
    await new Promise((resolve) => this.http?.close(resolve));
  }

  /** Sends a dispatch (op 0) to every connected session. */
  dispatch(type: string, data: unknown): void {
    for (const socket of this.sockets)
      this.send(socket, { op: 0, t: type, s: ++this.seq, d: data });
  }

  /** Pushes a slash command as Discord would; returns the interaction token its replies are kept under. */
  slashCommand(
    name: string,
    options: Record<string, string>,
    member: FakeMember,
    channelId = this.guild.channels.find((c) => c.type === 0)?.id ?? '0',
  ): string {
    const id = this.nextId();
    const token = `interaction-token-${id}`;
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.bot.applicationId,
      type: 2,
      token,
      version: 1,
      guild_id: this.guild.id,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: this.guild.id, name: 'channel' },
      member: this.memberPayload(member),
      app_permissions: '0',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guild.id },
      context: 0,
      attachment_size_limit: 8_388_608,
      data: {
        id: this.nextId(),
        name,
        type: 1,
        guild_id: this.guild.id,
        options: Object.entries(options).map(([option, value]) => ({
          name: option,
          type: 3,
          value,
        })),
      },
    });
    return token;
  }

  /** A member joins the guild (GUILD_MEMBER_ADD). */
  memberJoins(member: FakeMember): void {
    this.dispatch('GUILD_MEMBER_ADD', { ...this.memberPayload(member), guild_id: this.guild.id });
  }

  /** A member writes in a channel (MESSAGE_CREATE). Returns the message id. */
  message(member: FakeMember, channelId: string, content: string): string {
    const id = this.nextId();
    const { user, ...rest } = this.memberPayload(member);
    this.dispatch('MESSAGE_CREATE', {
      ...discordMessage(id, channelId, user, content),
      guild_id: this.guild.id,
      member: rest,
    });
    return id;
  }

  private botUser() {
    return {
      id: this.bot.id,
      username: this.bot.username,
      discriminator: '0',
      avatar: null,
      bot: true,
    };
  }

  private nextId(): string {
    this.ids += 1n;
    return String(this.ids);
  }

  private memberPayload(member: FakeMember) {
    return {
      user: {
        id: member.id,
        username: member.username,
        global_name: member.global_name ?? null,
        discriminator: '0',
        avatar: member.avatar ?? null,
      },
      roles: member.roles ?? [],
      nick: null,
      avatar: null,
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      permissions: '0',
    };
  }

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    this.send(socket, { op: 10, d: { heartbeat_interval: 45_000 } });
    socket.on('message', (raw) => {
      const packet = JSON.parse((raw as Buffer).toString('utf8')) as { op: number; d: unknown };
      if (packet.op === 1) this.send(socket, { op: 11 });
      if (packet.op === 3) this.presences.push(packet.d as (typeof this.presences)[number]);
      if (packet.op === 2) {
        this.identified.push(packet.d);
        this.send(socket, {
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: { ...this.botUser(), flags: 0 },
            guilds: [{ id: this.guild.id, unavailable: true }],
            session_id: 'fake-session',
            resume_gateway_url: this.url,
            shard: [0, 1],
            application: { id: this.bot.applicationId, flags: 0 },
          },
        });
        this.send(socket, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildPayload() });
      }
    });
  }

  private guildPayload() {
    return {
      id: this.guild.id,
      name: this.guild.name,
      icon: null,
      owner_id: this.bot.id,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      nsfw_level: 0,
      preferred_locale: 'en-US',
      unavailable: false,
      member_count: 1,
      large: false,
      joined_at: new Date().toISOString(),
      roles: this.guild.roles.map((r, i) => ({
        id: r.id,
        name: r.name,
        color: r.color ?? 0,
        hoist: false,
        position: r.position ?? i,
        permissions: '0',
        managed: false,
        mentionable: false,
        flags: 0,
      })),
      channels: this.guild.channels.map((c, i) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        position: c.position ?? i,
        parent_id: c.parent_id ?? null,
        permission_overwrites: [],
        guild_id: this.guild.id,
      })),
      members: [
        {
          user: this.botUser(),
          roles: [],
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  private send(socket: WebSocket, payload: unknown): void {
    socket.send(JSON.stringify(payload));
  }
}
