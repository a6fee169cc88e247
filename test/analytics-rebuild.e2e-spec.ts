import { AnalyticsDaily } from '../src/analytics/analytics-daily.entity';
import { AnalyticsRecorder } from '../src/analytics/analytics-recorder';
import { createTestApp, type TestApp } from './support/app';
import { cleanEnv, ROOT, runToExit } from './support/process';

describe('npm run analytics:rebuild', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ANALYTICS_FLUSH_MS: '0' } });
    const recorder = t.app.get(AnalyticsRecorder);
    for (let i = 0; i < 30; i += 1) {
      recorder.record({
        at: new Date(Date.UTC(2026, 10, 1 + (i % 3), 9, i)),
        kind: 'request',
        name: 'tickets.get_tickets',
        method: 'GET',
        status: 200,
        userId: `user-${i % 4}`,
        sessionId: `session-${i % 5}`,
        platform: 'Android',
        appVersion: '1.0',
        props: null,
        client: { deviceInfo: null, clientSessionId: null, ip: null, userAgent: null },
      });
    }
    await recorder.flush();
  });
  afterAll(() => t.close());

  it('recomputes the same rollups from the raw events, with progress on stderr', async () => {
    const rows = () => t.dataSource.getRepository(AnalyticsDaily).find({ order: { day: 'ASC' } });
    const before = await rows();
    expect(before.map((row) => row.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    // A wrong rollup, as a bug of an earlier version might have left.
    await t.dataSource
      .getRepository(AnalyticsDaily)
      .update({ day: '2026-11-02' }, { actions: 999 });
    const result = await runToExit('npm', ['run', '--silent', 'analytics:rebuild'], {
      cwd: ROOT,
      env: cleanEnv({ DATA_DIR: t.dataDir }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('analytics: 30 events folded into 3 days');
    expect(result.stderr).toContain('rebuilding [');
    expect(await rows()).toEqual(before);
  });
});
