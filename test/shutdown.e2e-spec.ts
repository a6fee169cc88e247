import { once } from 'node:events';
import { createTestApp } from './support/app';
import { ProbeModule, probeEvents } from './support/probe.module';

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
});
