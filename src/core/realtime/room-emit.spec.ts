import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { emitToLocalRoom } from './room-emit';

describe('emitToLocalRoom', () => {
  let server: Server;
  let url: string;
  const clients: Socket[] = [];

  beforeAll(async () => {
    const http = createServer();
    server = new Server(http);
    server.on('connection', (socket) => {
      socket.on('join', (name: string, ack: () => void) => {
        void socket.join(name);
        ack();
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await server.close();
  });

  /** A client in `room`, recording every event it hears in order. */
  async function member(room: string, transports: ('websocket' | 'polling')[]) {
    const client = io(url, { transports, forceNew: true, reconnection: false });
    clients.push(client);
    const heard: [string, unknown][] = [];
    client.onAny((event: string, payload: unknown) => heard.push([event, payload]));
    await new Promise<void>((resolve) => client.once('connect', resolve));
    await client.emitWithAck('join', room);
    const socket = server.of('/').sockets.get(client.id as string) as ServerSocket;
    return { client, heard, socket };
  }

  const settle = async (heard: unknown[], count: number) => {
    for (let i = 0; i < 200 && heard.length < count; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('delivers every event, in order, to WebSocket and polling members alike', async () => {
    const ws = await member('ticket_a', ['websocket']);
    const polling = await member('ticket_a', ['polling']);
    const outsider = await member('ticket_b', ['websocket']);
    const big = 'x'.repeat(70_000); // a frame with a 64-bit length
    const direct = emitToLocalRoom(server, 'ticket_a', [
      ['first', { n: 1, text: 'héllo' }],
      ['second', { n: 2, big }],
      ['third', { n: 3, text: 'm'.repeat(200) }],
    ]);
    expect(direct).toBe(1);
    await settle(ws.heard, 3);
    await settle(polling.heard, 3);
    for (const { heard } of [ws, polling]) {
      expect(heard.map(([event]) => event)).toEqual(['first', 'second', 'third']);
      expect(heard[0][1]).toEqual({ n: 1, text: 'héllo' });
      expect(heard[1][1]).toEqual({ n: 2, big });
      expect(heard[2][1]).toEqual({ n: 3, text: 'm'.repeat(200) });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outsider.heard).toEqual([]);
  });

  it('lets nothing overtake packets already queued for a socket', async () => {
    const ws = await member('ticket_c', ['websocket']);
    // The first emit leaves the transport busy until its write completes, so the next one queues.
    ws.socket.emit('before', 1);
    ws.socket.emit('queued', 2);
    const direct = emitToLocalRoom(server, 'ticket_c', [['after', 3]]);
    expect(direct).toBe(0);
    await settle(ws.heard, 3);
    expect(ws.heard).toEqual([
      ['before', 1],
      ['queued', 2],
      ['after', 3],
    ]);
  });

  it('sends binary payloads the ordinary way', async () => {
    const ws = await member('ticket_d', ['websocket']);
    const direct = emitToLocalRoom(server, 'ticket_d', [
      ['text', 'a'],
      ['bytes', Buffer.from([1, 2, 3])],
    ]);
    expect(direct).toBe(0);
    await settle(ws.heard, 2);
    expect(ws.heard[0]).toEqual(['text', 'a']);
    expect(ws.heard[1][0]).toBe('bytes');
    expect(Buffer.from(ws.heard[1][1] as ArrayBuffer)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('answers 0 for a room with no members here', () => {
    expect(emitToLocalRoom(server, 'ticket_nobody', [['x', 1]])).toBe(0);
  });
});
