import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { Global, Injectable, Module } from '@nestjs/common';

/**
 * How long connections accepted just before the listener closed get to deliver their request. Their
 * bytes are already in the kernel's buffer, so a few milliseconds would do; this is generous.
 */
const ACCEPTED_GRACE_MS = 300;
/**
 * A busy server takes connections from the kernel's backlog only as fast as it serves them, and
 * closing the listener resets every connection still in the backlog. So the listener stays open
 * until no connection has arrived for ACCEPT_QUIET_MS, or for at most ACCEPT_DRAIN_MAX_MS.
 */
const ACCEPT_QUIET_MS = 50;
const ACCEPT_DRAIN_MAX_MS = 1_000;
const ACCEPT_POLL_MS = 10;

/** Whether the process is shutting down: readiness fails from the first moment. */
@Injectable()
export class ShutdownState {
  private startedAt: Date | undefined;

  get draining(): boolean {
    return this.startedAt !== undefined;
  }

  begin(): void {
    this.startedAt ??= new Date();
  }
}

/**
 * Knows which of an HTTP server's connections are in the middle of a request, so that a shutdown
 * answers every request already sent. Node's own `server.close()` drops "idle" connections at once,
 * and a connection accepted a moment ago whose request has not been parsed yet counts as idle: its
 * client gets ECONNRESET for a request it had fully sent. Here the listener stops first, such
 * connections get a grace period to deliver, and only connections with nothing in flight are closed;
 * responses sent meanwhile say `Connection: close`.
 *
 * Attach it after the app listens: Socket.IO wraps the request listeners present when it attaches,
 * and this one must see its long-polling requests too.
 */
export class ConnectionTracker {
  private readonly idle = new Set<Socket>();
  private readonly inFlight = new Map<Socket, number>();
  private draining = false;
  private lastConnectionAt = 0;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.lastConnectionAt = performance.now();
      this.idle.add(socket);
      socket.once('close', () => {
        this.idle.delete(socket);
        this.inFlight.delete(socket);
      });
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.track(req, res));
    // An upgraded connection (a WebSocket) is Socket.IO's: it closes those with a reason.
    server.on('upgrade', (req: IncomingMessage) => this.idle.delete(req.socket));
  }

  /**
   * Stops accepting connections, without touching the open ones, once the connections already
   * waiting in the kernel's backlog have been accepted.
   */
  async stopAccepting(): Promise<void> {
    this.draining = true;
    const deadline = performance.now() + ACCEPT_DRAIN_MAX_MS;
    do {
      await new Promise((resolve) => setTimeout(resolve, ACCEPT_POLL_MS));
    } while (
      performance.now() - this.lastConnectionAt < ACCEPT_QUIET_MS &&
      performance.now() < deadline
    );
    if (this.server.listening) NetServer.prototype.close.call(this.server);
  }

  /** After a grace period for requests already sent, closes every connection with nothing in flight. */
  async closeIdle(): Promise<void> {
    if (this.idle.size > 0) await new Promise((resolve) => setTimeout(resolve, ACCEPTED_GRACE_MS));
    for (const socket of this.idle) socket.end();
    this.idle.clear();
  }

  private track(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    this.idle.delete(socket);
    this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
    if (this.draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      const left = (this.inFlight.get(socket) ?? 1) - 1;
      if (left > 0) {
        this.inFlight.set(socket, left);
        return;
      }
      this.inFlight.delete(socket);
      if (socket.destroyed) return;
      if (this.draining) socket.end();
      else this.idle.add(socket);
    });
  }
}

/** Makes ShutdownState one instance for the whole app (readiness reads it, main flips it). */
@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class ShutdownModule {}
