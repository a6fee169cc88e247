import type { Server, Socket } from 'socket.io';

/** socket.io-parser's EVENT packet type. */
const EVENT = 2;
/** Engine.IO's `message` packet type, which carries every Socket.IO packet. */
const MESSAGE = '4';

/** The parts of Engine.IO's WebSocket transport a direct write needs (engine.io does the same). */
interface WebSocketTransport {
  name: string;
  writable: boolean;
  perMessageDeflate?: unknown;
  socket?: { _sender?: { sendFrame?: (list: Buffer[], cb?: (err?: Error) => void) => void } };
}

interface EngineSocket {
  readyState: string;
  writeBuffer: unknown[];
  transport: WebSocketTransport;
}

/** An unmasked, final text frame (RFC 6455 §5.2) carrying `payload`, as a server sends it. */
function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, header);
  return frame;
}

/** The sender of a socket whose WebSocket is idle: nothing queued in Engine.IO, nothing compressed. */
function idleSender(socket: Socket) {
  const conn = socket.conn as unknown as EngineSocket;
  const transport = conn.transport;
  const sender = transport.socket?._sender;
  return conn.readyState === 'open' &&
    transport.name === 'websocket' &&
    transport.writable &&
    conn.writeBuffer.length === 0 &&
    !transport.perMessageDeflate &&
    typeof sender?.sendFrame === 'function'
    ? sender
    : undefined;
}

/**
 * Sends `events`, in order, to the sockets of `room` on this instance. Each event is encoded once for
 * the whole room, and a socket on an idle WebSocket gets all of them in one write (one system call),
 * where one emit per event would cost a write each and queue the later ones behind the first's
 * completion. A socket on another transport, or with packets still queued, gets ordinary emits, so
 * nothing overtakes what is already on its way. Returns how many sockets were written to directly
 * (their outgoing hooks do not see these events).
 */
export function emitToLocalRoom(
  server: Server,
  room: string,
  events: ReadonlyArray<readonly [event: string, payload: unknown]>,
): number {
  const namespace = server.of('/');
  const members = namespace.adapter.rooms.get(room);
  if (!members?.size) return 0;
  const frames: Buffer[] = [];
  for (const [event, payload] of events) {
    const encoded: unknown[] = server.encoder.encode({
      type: EVENT,
      nsp: '/',
      data: [event, payload],
    });
    // Binary attachments travel as extra packets: such events take the ordinary path.
    if (encoded.length !== 1 || typeof encoded[0] !== 'string') {
      for (const [name, data] of events) server.local.to(room).emit(name, data);
      return 0;
    }
    frames.push(textFrame(Buffer.from(MESSAGE + encoded[0])));
  }
  const together = [Buffer.concat(frames)];
  let direct = 0;
  for (const id of members) {
    const socket = namespace.sockets.get(id);
    if (!socket) continue;
    const sender = idleSender(socket);
    if (sender) {
      sender.sendFrame!(together);
      direct += 1;
    } else {
      for (const [event, payload] of events) socket.emit(event, payload);
    }
  }
  return direct;
}
