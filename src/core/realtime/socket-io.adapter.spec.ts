import { type INestApplicationContext, Logger } from '@nestjs/common';
import { from, isObservable, type Observable, of, throwError } from 'rxjs';
import type { Socket } from 'socket.io';
import { GuildhallIoAdapter } from './socket-io.adapter';

/** A socket whose listeners the test calls as Socket.IO would, and whose emits it records. */
function fakeSocket() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const sent: unknown[][] = [];
  const socket = {
    on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener),
    emit: (...args: unknown[]) => sent.push(args),
  };
  return { socket: socket as unknown as Socket, listeners, sent };
}

const toObservable = (value: unknown): Observable<unknown> =>
  isObservable(value) ? value : value instanceof Promise ? from(value) : of(value);
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('GuildhallIoAdapter message handlers', () => {
  const adapter = new GuildhallIoAdapter({} as INestApplicationContext);

  it('hand one argument as it is, and an acknowledgement apart, to the handler', async () => {
    const { socket, listeners } = fakeSocket();
    const seen: unknown[] = [];
    adapter.bindMessageHandlers(
      socket,
      [
        {
          message: 'join_ticket',
          methodName: 'join',
          isAckHandledManually: false,
          callback: (data: unknown, ack: unknown) => {
            seen.push([data, typeof ack]);
            return Promise.resolve('joined');
          },
        },
      ],
      toObservable,
    );
    const acks: unknown[] = [];
    listeners.get('join_ticket')!({ ticket_id: 'T1' });
    listeners.get('join_ticket')!({ ticket_id: 'T2' }, (answer: unknown) => acks.push(answer));
    listeners.get('join_ticket')!('a', 'b');
    listeners.get('join_ticket')!();
    await settled();
    expect(seen).toEqual([
      [{ ticket_id: 'T1' }, 'undefined'],
      [{ ticket_id: 'T2' }, 'function'],
      [['a', 'b'], 'undefined'],
      [undefined, 'undefined'],
    ]);
    expect(acks).toEqual(['joined']);
  });

  it('emit an answer with an event, and leave a manual acknowledgement to the handler', async () => {
    const { socket, listeners, sent } = fakeSocket();
    adapter.bindMessageHandlers(
      socket,
      [
        {
          message: 'ping',
          methodName: 'ping',
          isAckHandledManually: false,
          callback: () => Promise.resolve({ event: 'pong', data: { at: 1 } }),
        },
        {
          message: 'manual',
          methodName: 'manual',
          isAckHandledManually: true,
          callback: () => Promise.resolve('mine'),
        },
        {
          message: 'nothing',
          methodName: 'nothing',
          isAckHandledManually: false,
          callback: () => Promise.resolve(undefined),
        },
      ],
      toObservable,
    );
    const acks: unknown[] = [];
    listeners.get('ping')!({});
    listeners.get('manual')!({}, (answer: unknown) => acks.push(answer));
    listeners.get('nothing')!({}, (answer: unknown) => acks.push(answer));
    await settled();
    expect(sent).toEqual([['pong', { at: 1 }]]);
    expect(acks).toEqual([]);
  });

  it('log a handler that fails and keep handling the next messages', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { socket, listeners } = fakeSocket();
    let calls = 0;
    adapter.bindMessageHandlers(
      socket,
      [
        {
          message: 'flaky',
          methodName: 'flaky',
          isAckHandledManually: false,
          callback: () => {
            calls += 1;
            return calls === 1 ? throwError(() => new Error('boom')) : of('fine');
          },
        },
      ],
      toObservable,
    );
    const acks: unknown[] = [];
    listeners.get('flaky')!({});
    listeners.get('flaky')!({}, (answer: unknown) => acks.push(answer));
    await settled();
    expect(calls).toBe(2);
    expect(acks).toEqual(['fine']);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'flaky' }),
      'A socket handler failed',
    );
    logged.mockRestore();
  });
});
