import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../env';
import { corsOptions } from '../http/cors';
import { REDIS } from '../redis';

/**
 * Socket.IO on the HTTP server's port and the default path, with a payload cap, CORS from
 * CORS_ORIGINS and, when Redis is configured, rooms shared by every instance.
 */
export class GuildhallIoAdapter extends IoAdapter {
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
    if (redis) server.adapter(createAdapter(redis, redis.duplicate()));
    return server;
  }
}
