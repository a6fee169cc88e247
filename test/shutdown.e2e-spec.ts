import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TransactionRunner } from '../src/core/database';
import { OutboxService } from '../src/core/outbox';
import { createTestApp } from './support/app';
import { GuildhallProcess } from './support/guildhall-process';
import { ProbeModule, probeEvents } from './support/probe.module';
import { connect, disconnected, next } from './support/sockets';
import { adminToken } from './support/users';

describe('graceful shutdown', () => {
  it('finishes an in-flight request, then closes the server and the database', async () => {
    const t = await createTestApp({ imports: [ProbeModule] });
    const started = once(probeEvents, 'started');
    const inFlight = t.http().get('/__probe/slow?ms=300');
    const response = inFlight.then((res) => res);
    await started;

    const closing = t.app.close();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ waited: 300 });
    await closing;

    expect(t.dataSource.isInitialized).toBe(false);
    await expect(fetch(`${t.url}/health`)).rejects.toThrow();
    await t.close();
  });

  it('tells Socket.IO clients why before their connection closes, and lets them reconnect', async () => {
    const t = await createTestApp();
    const socket = await connect(t, { token: await adminToken(t) });
    const notice = next<Record<string, unknown>>(socket, 'error');
    const reason = disconnected(socket);
    await t.app.close();
    expect(await notice).toMatchObject({ code: 503, error_code: 'SERVER_SHUTTING_DOWN' });
    // A transport close, not a server disconnect: the client library reconnects by itself.
    expect(await reason).toBe('transport close');
    await t.close();
  });

  it('lets the outbox finish the delivery in flight before the database closes', async () => {
    const t = await createTestApp({ env: { OUTBOX_POLL_MS: '50' } });
    const outbox = t.app.get(OutboxService);
    let finish!: () => void;
    const delivering = new Promise<void>((resolve) => {
      outbox.register('probe.slow', async () => {
        resolve();
        await new Promise<void>((done) => (finish = done));
      });
    });
    await t.app
      .get(TransactionRunner)
      .run((manager) => outbox.enqueue(manager, 'probe.slow', { n: 1 }));
    await delivering;
    const closing = t.app.close();
    setTimeout(() => finish(), 200);
    await closing;
    const db = new Database(join(t.dataDir, 'guildhall.sqlite'), { readonly: true });
    try {
      expect(
        db.prepare("SELECT status FROM outbox_messages WHERE kind = 'probe.slow'").all(),
      ).toEqual([{ status: 'sent' }]);
    } finally {
      db.close();
    }
    await t.close();
  });
});

describe('SIGTERM to the server process', () => {
  it('answers every request fully sent before it, also on connections not yet parsed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildhall-sigterm-'));
    const server = await GuildhallProcess.start(join(dir, 'data'));
    try {
      const request = 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
      // 50 new connections at once; SIGTERM as soon as every request has been written out.
      const clients = Array.from({ length: 50 }, () => {
        const socket = connectTcp(server.server.port, '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        const sent = new Promise<void>((resolve, reject) => {
          socket.once('connect', () => socket.write(request, () => resolve()));
          socket.once('error', reject);
        });
        const ended = new Promise<string>((resolve) => {
          socket.once('close', () => resolve(answer));
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
        });
        return { sent, ended };
      });
      await Promise.all(clients.map((client) => client.sent));
      server.server.child.kill('SIGTERM');
      const answers = await Promise.all(clients.map((client) => client.ended));
      const statusLines = answers.map((answer) => answer.split('\r\n')[0]);
      expect(statusLines).toEqual(Array.from({ length: 50 }, () => 'HTTP/1.1 200 OK'));
      expect(await server.server.exited).toBe(0);
      // Afterwards nothing is listening.
      await expect(fetch(server.url + '/health')).rejects.toThrow();
    } finally {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails readiness first, for SHUTDOWN_DELAY_MS, while still serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildhall-sigterm-'));
    const server = await GuildhallProcess.start(join(dir, 'data'), { SHUTDOWN_DELAY_MS: '1500' });
    try {
      expect((await server.request('GET', '/api/health/ready')).status).toBe(200);
      server.server.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ready = await server.request('GET', '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'not_ready',
        checks: { lifecycle: { status: 'error', state: 'shutting_down' } },
      });
      expect((await server.request('GET', '/health')).status).toBe(200);
      expect(await server.server.exited).toBe(0);
    } finally {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
