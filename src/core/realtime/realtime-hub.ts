import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';

/**
 * The Socket.IO server, for modules that speak to every connected client without a gateway of
 * their own (admin broadcasts). The gateway attaches it when the server starts; with the Redis
 * adapter an emit reaches the sockets of every instance.
 */
@Injectable()
export class RealtimeHub {
  private server: Server | undefined;

  attach(server: Server): void {
    this.server = server;
  }

  /** Sends `event` to every connected socket; false when no socket server runs. */
  emitToAll(event: string, payload: object): boolean {
    if (!this.server) return false;
    this.server.emit(event, payload);
    return true;
  }
}
