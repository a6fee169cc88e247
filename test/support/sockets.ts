import { io, type Socket } from 'socket.io-client';
import type { TestApp } from './app';

/** A socket.io-client connected to the test app over websocket only, as the HazeBot app connects. */
export function connect(
  t: TestApp,
  auth?: { token?: string },
  query?: Record<string, string>,
): Promise<Socket> {
  const socket = io(t.url, {
    transports: ['websocket'],
    auth,
    query,
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The error body a refused connection carries (`connect_error`'s data); fails if it connects. */
export async function refusalOf(t: TestApp, auth?: { token?: string }): Promise<unknown> {
  const socket = await connect(t, auth).catch((error: { data?: unknown }) => ({ refused: error }));
  if (!('refused' in socket)) {
    socket.close();
    throw new Error('the socket connected');
  }
  return socket.refused.data;
}

/** Resolves with the next payload of `event`. */
export function next<T = unknown>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export function disconnected(socket: Socket, timeoutMs = 5000): Promise<string> {
  if (!socket.connected) return Promise.resolve('already');
  return next<string>(socket, 'disconnect', timeoutMs);
}
