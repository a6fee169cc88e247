import { randomUUID } from 'node:crypto';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import proxyAddr from 'proxy-addr';
import type { Server, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import type { UserPrincipal } from '../auth/principal';
import { growingLru } from '../core/cache';
import { AppConfig } from '../core/env';
import { DomainError, toErrorResponse } from '../core/errors';
import { Metrics } from '../core/metrics';
import { emitToLocalRoom, RealtimeHub } from '../core/realtime';
import { ticketActor } from './ticket-actor';
import { type TicketEvent, TicketEvents } from './ticket-events';
import { MAX_MESSAGE_PAGE, TicketMessages } from './ticket-messages.service';
import { TicketRoomRelay } from './ticket-room-relay';
import { TicketViewers } from './ticket-viewers';
import {
  MessageHistoryDto,
  NewMessageEventDto,
  SocketConnectedDto,
  SocketErrorDto,
  TicketRoomDto,
  TicketUpdateEventDto,
} from './dto/socket.dto';
import { messageView } from './ticket-views';
import { CogFeature } from '../cogs/cog-feature';

interface SocketState {
  token?: string;
  principal?: UserPrincipal;
  /** Token-less socket let in by SOCKET_ALLOW_ANONYMOUS: it may only listen. */
  anonymous?: boolean;
  viewing: Set<string>;
  /** Whose connection budget this socket counts against: the user, or the address when anonymous. */
  owner?: string;
  windowStart: number;
  events: number;
  expiry?: NodeJS.Timeout;
}

const WINDOW_MS = 10_000;
const room = (ticketId: string) => `ticket_${ticketId}`;

/**
 * Live ticket chat for the HazeBot app (Socket.IO, default path). Sockets authenticate in the
 * handshake; a user joins only rooms of tickets they may read; every change reaches the room as
 * `ticket_update`, and new messages also as the HazeBot API document's `new_message`.
 */
@CogFeature('TicketSystem')
@WebSocketGateway()
export class TicketsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  @WebSocketServer() private server!: Server;
  private readonly logger = new Logger('TicketsGateway');
  private sweep?: NodeJS.Timeout;
  private sweeping = false;
  private sweepFailing = false;
  private unsubscribe?: () => void;
  /** Open sockets per owner (user id, or address for anonymous sockets), on this instance. */
  private readonly open = new Map<string, Set<string>>();
  /** Owners dropped for flooding, and until when they are refused. */
  private readonly cooling = growingLru<string, number>(100_000);

  private readonly trustsProxy: (address: string, hop: number) => boolean;

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly chat: TicketMessages,
    private readonly events: TicketEvents,
    private readonly hub: RealtimeHub,
    private readonly viewers: TicketViewers,
    private readonly relay: TicketRoomRelay,
    private readonly metrics: Metrics,
  ) {
    this.trustsProxy = trustFor(config.http.trustProxy);
  }

  afterInit(server: Server): void {
    this.hub.attach(server);
    // Nest runs no guards on connect, so the handshake is checked here.
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => {
          const { body, expected, retryAfterSeconds } = toErrorResponse(error);
          if (!expected) this.logUnexpected(error, socket, 'connect', randomUUID());
          const data =
            retryAfterSeconds === undefined ? body : { ...body, retry_after: retryAfterSeconds };
          next(Object.assign(new Error(body.error), { data }));
        },
      );
    });
    server.on('connection', (socket: Socket) => {
      socket.onAny((event: string) => this.metrics.socketEvent('in', event));
      socket.onAnyOutgoing((event: string) => this.metrics.socketEvent('out', event));
    });
    this.metrics.onScrape(() => {
      this.metrics.socketConnections.set(server.engine.clientsCount);
      let rooms = 0;
      for (const name of server.of('/').adapter.rooms.keys())
        if (name.startsWith('ticket_')) rooms += 1;
      this.metrics.socketRooms.set(rooms);
    });
    this.unsubscribe = this.events.subscribe((event) => this.broadcast(event));
    // New messages reach this instance's sockets through the relay, in number order.
    this.relay.attach((ticketId, view) => {
      const direct = emitToLocalRoom(server, room(ticketId), [
        [
          'ticket_update',
          {
            ticket_id: ticketId,
            event_type: 'new_message',
            data: { ...view },
            timestamp: new Date().toISOString(),
          } satisfies TicketUpdateEventDto,
        ],
        [
          'new_message',
          { ticket_id: ticketId, message: view, messageData: view } satisfies NewMessageEventDto,
        ],
      ]);
      // Sockets written to directly bypass their outgoing hooks: counted here.
      if (direct > 0) {
        this.metrics.socketEvents.inc({ direction: 'out', event: 'ticket_update' }, direct);
        this.metrics.socketEvents.inc({ direction: 'out', event: 'new_message' }, direct);
      }
    });
    this.sweep = setInterval(
      () => void this.dropEndedSessions(),
      this.config.sockets.sessionCheckMs,
    );
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
    this.unsubscribe?.();
  }

  handleConnection(socket: Socket): void {
    socket.emit('connected', { message: 'Connected to HazeBot API' } satisfies SocketConnectedDto);
    // A packet the parser refuses (e.g. an oversized one) must not crash anything.
    socket.on('error', (error) =>
      this.logger.warn({ socket: socket.id, err: error }, 'Socket error'),
    );
  }

  handleDisconnect(socket: Socket): void {
    const state = this.state(socket);
    this.release(socket);
    clearTimeout(state.expiry);
    for (const ticketId of state.viewing) this.viewers.remove(ticketId, this.viewerId(state));
  }

  /** Actor ids viewing a ticket through this instance. */
  viewersOf(ticketId: string): string[] {
    return this.viewers.localViewers(ticketId);
  }

  @SubscribeMessage('join_ticket')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<void> {
    if (!this.admit(socket)) return;
    const ticketId = ticketIdOf(body);
    if (!ticketId) {
      socket.emit('error', { message: 'ticket_id required' } satisfies SocketErrorDto);
      return;
    }
    const state = this.state(socket);
    try {
      const messages = state.principal
        ? await this.chat.history(ticketActor(state.principal), ticketId, {
            limit: MAX_MESSAGE_PAGE,
          })
        : await this.chat.historyOfAnyTicket(ticketId, MAX_MESSAGE_PAGE);
      await socket.join(room(ticketId));
      if (!state.viewing.has(ticketId)) {
        state.viewing.add(ticketId);
        this.viewers.add(ticketId, this.viewerId(state));
      }
      socket.emit('message_history', {
        ticket_id: ticketId,
        messages: messages.map(messageView),
      } satisfies MessageHistoryDto);
      socket.emit('joined_ticket', {
        ticket_id: ticketId,
        room: room(ticketId),
      } satisfies TicketRoomDto);
    } catch (error) {
      this.fail(socket, 'join_ticket', error, { ticket_id: ticketId });
    }
  }

  @SubscribeMessage('leave_ticket')
  async leave(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<void> {
    if (!this.admit(socket)) return;
    const ticketId = ticketIdOf(body);
    if (!ticketId) return;
    const state = this.state(socket);
    await socket.leave(room(ticketId));
    if (state.viewing.delete(ticketId)) this.viewers.remove(ticketId, this.viewerId(state));
    socket.emit('left_ticket', {
      ticket_id: ticketId,
      room: room(ticketId),
    } satisfies TicketRoomDto);
  }

  private async authenticate(socket: Socket): Promise<void> {
    const state: SocketState = { viewing: new Set(), windowStart: Date.now(), events: 0 };
    socket.data = state;
    const token = tokenOf(socket);
    if (token === undefined) {
      if (this.config.sockets.allowAnonymous) {
        state.anonymous = true;
        this.admitConnection(socket, `ip:${this.addressOf(socket)}`);
        return;
      }
      throw new DomainError('TOKEN_MISSING', 401, 'Token is missing');
    }
    state.token = token;
    state.principal = await this.auth.authenticate(token);
    this.admitConnection(socket, `user:${state.principal.user.id}`);
    const msLeft = state.principal.claims.exp * 1000 - Date.now();
    state.expiry = setTimeout(() => socket.disconnect(true), Math.max(0, msLeft));
    state.expiry.unref();
  }

  /**
   * Counts the socket against its owner's budget: refused (429) past SOCKET_MAX_PER_USER open ones,
   * and for SOCKET_FLOOD_COOLDOWN_MS after a socket of theirs was dropped for flooding. The count
   * ends with the connection, whether or not the socket got as far as connecting.
   */
  private admitConnection(socket: Socket, owner: string): void {
    const until = this.cooling.get(owner) ?? 0;
    const now = Date.now();
    if (until > now) {
      const error = new DomainError(
        'SOCKET_COOLDOWN',
        429,
        'Disconnected for flooding; reconnect later',
      );
      error.retryAfterSeconds = Math.ceil((until - now) / 1000);
      throw error;
    }
    const sockets = this.open.get(owner) ?? new Set<string>();
    if (sockets.size >= this.config.sockets.maxPerUser)
      throw new DomainError('TOO_MANY_CONNECTIONS', 429, 'Too many open connections');
    sockets.add(socket.id);
    this.open.set(owner, sockets);
    this.state(socket).owner = owner;
    socket.conn.once('close', () => this.release(socket));
  }

  /** The client's address, through the proxies TRUST_PROXY trusts, as Express sees it for HTTP. */
  private addressOf(socket: Socket): string {
    return proxyAddr(socket.request, this.trustsProxy);
  }

  private release(socket: Socket): void {
    const owner = this.state(socket).owner;
    if (owner === undefined) return;
    const sockets = this.open.get(owner);
    sockets?.delete(socket.id);
    if (sockets?.size === 0) this.open.delete(owner);
  }

  /**
   * Drops sockets whose session ended (logout, refresh, ban, deleted user) since they connected:
   * one query for all of them, never two sweeps at once. When the database cannot answer, nobody is
   * dropped: the failure is logged and the next sweep tries again.
   */
  private async dropEndedSessions(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const sockets = [...this.server.sockets.sockets.values()].filter(
        (socket) => this.state(socket).principal,
      );
      if (sockets.length === 0) return;
      const sessionOf = (socket: Socket) =>
        (this.state(socket).principal as UserPrincipal).session.id;
      const live = await this.auth.liveSessions([...new Set(sockets.map(sessionOf))]);
      for (const socket of sockets) {
        if (live.has(sessionOf(socket))) continue;
        socket.emit('error', { message: 'Session has ended' } satisfies SocketErrorDto);
        socket.disconnect(true);
      }
      if (this.sweepFailing) this.logger.log('Socket session sweep works again');
      this.sweepFailing = false;
    } catch (error) {
      // Once per spell of failure, not every few seconds.
      if (!this.sweepFailing)
        this.logger.error({ err: error }, 'Socket session sweep failed; sockets stay connected');
      this.sweepFailing = true;
    } finally {
      this.sweeping = false;
    }
  }

  /** Tells the client what failed; an unexpected failure is logged with the id it is told. */
  private fail(socket: Socket, event: string, error: unknown, extra: object): void {
    const { body, expected } = toErrorResponse(error);
    const requestId = randomUUID();
    if (!expected) this.logUnexpected(error, socket, event, requestId);
    socket.emit('error', { ...extra, ...body, message: body.error, request_id: requestId });
  }

  private logUnexpected(error: unknown, socket: Socket, event: string, requestId: string): void {
    this.logger.error(
      { err: error, socket: socket.id, event, request_id: requestId },
      'Socket event failed unexpectedly',
    );
  }

  /** Per-socket event budget: over it, events are refused; far over it, the socket is dropped. */
  private admit(socket: Socket): boolean {
    const state = this.state(socket);
    const now = Date.now();
    if (now - state.windowStart >= WINDOW_MS) {
      state.windowStart = now;
      state.events = 0;
    }
    state.events += 1;
    const limit = this.config.sockets.eventsPer10s;
    if (state.events <= limit) return true;
    this.metrics.socketThrottled.inc({ action: state.events > limit * 2 ? 'dropped' : 'refused' });
    if (state.events > limit * 2) {
      this.logger.warn({ socket: socket.id, owner: state.owner }, 'Socket dropped for flooding');
      if (state.owner !== undefined && this.config.sockets.floodCooldownMs > 0)
        this.cooling.set(state.owner, now + this.config.sockets.floodCooldownMs);
      socket.disconnect(true);
    } else {
      socket.emit('error', {
        message: 'Too many events; slow down',
        error_code: 'TOO_MANY_REQUESTS',
      } satisfies SocketErrorDto);
    }
    return false;
  }

  private broadcast(event: TicketEvent): void {
    const timestamp = new Date().toISOString();
    const target = this.server.to(room(event.ticketId));
    const update = (
      eventType: TicketUpdateEventDto['event_type'],
      data: Record<string, unknown>,
    ): void => {
      target.emit('ticket_update', {
        ticket_id: event.ticketId,
        event_type: eventType,
        data,
        timestamp,
      } satisfies TicketUpdateEventDto);
    };
    switch (event.type) {
      case 'ticket_opened':
        return; // nobody is in a new ticket's room yet
      case 'new_message':
        return this.relay.publish(event.message);
      case 'ticket_claimed':
        return update('ticket_claimed', { claimed_by: event.claimedBy });
      case 'ticket_assigned':
        return update('ticket_assigned', { assigned_to: event.assignedTo });
      case 'ticket_closed':
        return update('ticket_closed', { close_message: event.closeMessage });
      case 'ticket_reopened':
        return update('ticket_reopened', {});
    }
  }

  private state(socket: Socket): SocketState {
    return socket.data as SocketState;
  }

  private viewerId(state: SocketState): string {
    return state.principal ? ticketActor(state.principal).id : 'anonymous';
  }
}

function ticketIdOf(body: unknown): string | undefined {
  const id = (body as { ticket_id?: unknown } | null)?.ticket_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/** The JWT from `auth.token`, a `token` query parameter, or an Authorization header. */
function tokenOf(socket: Socket): string | undefined {
  const auth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof auth === 'string' && auth !== '') return auth.replace(/^Bearer\s+/i, '');
  const query = socket.handshake.query.token;
  if (typeof query === 'string' && query !== '') return query;
  const header = socket.handshake.headers.authorization;
  if (typeof header === 'string' && /^Bearer\s+\S+/i.test(header))
    return header.replace(/^Bearer\s+/i, '').trim();
  return undefined;
}

/** Express's reading of its `trust proxy` setting, for addresses outside Express. */
function trustFor(
  setting: AppConfig['http']['trustProxy'],
): (address: string, hop: number) => boolean {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}
