import { type INestApplicationContext, Logger } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { createAdapter as CreateAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig } from '../env';
import { corsOptions } from '../http/cors';
import { REDIS } from '../redis';

const logger = new Logger('Realtime');

/** Time for the shutdown notice to leave before the transports close. */
const NOTICE_FLUSH_MS = 100;
const SHUTTING_DOWN = {
  error: 'The server is shutting down; reconnect in a moment',
  message: 'The server is shutting down; reconnect in a moment',
  code: 503,
  error_code: 'SERVER_SHUTTING_DOWN',
};

/**
 * Socket.IO on the HTTP server's port and the default path, with a payload cap, CORS from
 * CORS_ORIGINS and, when Redis is configured, rooms shared by every instance.
 */
export class GuildhallIoAdapter extends IoAdapter {
  /** The Redis adapter's subscriber connection, this adapter's own: closed with the server. */
  private subscriber: Redis | undefined;

  constructor(private readonly context: INestApplicationContext) {
    super(context);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const config = this.context.get(AppConfig);
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: config.sockets.maxPayloadBytes,
      cors: corsOptions(config.http.corsOrigins) ?? { origin: false },
    }) as Server;
    const redis = this.context.get<Redis | null>(REDIS);
    if (redis) {
      // Loaded only with Redis configured.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createAdapter } = require('@socket.io/redis-adapter') as {
        createAdapter: typeof CreateAdapter;
      };
      // The adapter's channels are pub/sub names, which the client's key prefix does not reach.
      this.subscriber = redis.duplicate();
      server.adapter(
        createAdapter(redis, this.subscriber, { key: `${config.redis.keyPrefix}socket.io` }),
      );
    }
    return server;
  }

  /**
   * A gateway's handlers as plain listeners on the socket. Nest's own binding keeps an rxjs
   * pipeline per handler and socket for the socket's whole life (about eleven subscribers per
   * socket; the fan-out bench's 1,000 subscribers held 14 MB more heap); here a message makes one
   * for its own answer, which then ends.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      const event = String(message);
      socket.on(event, (...args: unknown[]) => {
        // As rxjs's fromEvent hands them to Nest's mapPayload: one argument (or none) as it is.
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]) as {
          data: unknown;
          ack?: (response: unknown) => void;
        };
        transform(callback(data, ack)).subscribe({
          next: (response) => {
            if (response === null || response === undefined) return;
            const reply = response as { event?: string; data?: unknown };
            if (reply.event) socket.emit(reply.event, reply.data);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          error: (error: unknown) => logger.error({ err: error, event }, 'A socket handler failed'),
        });
      });
    }
  }

  /**
   * On shutdown every client of this instance is told why before its transport closes. The close is
   * not a Socket.IO disconnect, which would tell clients not to reconnect: they reconnect by
   * themselves, to another instance or to this one once it is back.
   */
  override async close(server: Server): Promise<void> {
    if (server.engine.clientsCount > 0) {
      server.local.emit('error', SHUTTING_DOWN);
      await new Promise((resolve) => setTimeout(resolve, NOTICE_FLUSH_MS));
    }
    await super.close(server);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }
}
