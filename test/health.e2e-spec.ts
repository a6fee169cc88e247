import { HealthService } from '../src/health/health.service';
import { createTestApp, type TestApp } from './support/app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { API_VERSION: '2.3.4', ENVIRONMENT: 'staging' } });
  });
  afterAll(() => t.close());

  it('answers GET /health in the Build Crew shape', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'healthy',
      service: 'Build Crew Bot API',
      timestamp: expect.stringMatching(ISO),
    });
  });

  it('answers GET /api/health in the HazeBot shape', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      timestamp: expect.stringMatching(ISO),
      service: 'HazeBot API',
      version: '2.3.4',
      environment: 'staging',
      // One instance on SQLite owns the singleton work.
      instance: expect.any(String),
      owner: res.body.instance,
    });
  });

  it('adds checks with detailed=true', async () => {
    const res = await t.http().get('/api/health?detailed=true').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks).toMatchObject({
      memory: { status: expect.any(String), percent: expect.any(Number) },
      cpu: { status: expect.any(String), cores: expect.any(Number) },
      disk: { status: expect.any(String), percent: expect.any(Number) },
      database: { status: 'ok', driver: 'sqlite' },
      cache: { status: 'ok', backend: 'memory' },
      singleton: { status: 'ok', backend: 'local', held: true },
    });
  });

  it('rejects an unknown detailed value', async () => {
    const res = await t.http().get('/api/health?detailed=maybe').expect(400);
    expect(res.body.error_code).toBe('VALIDATION_FAILED');
  });

  it('answers GET /api/ping', async () => {
    const res = await t.http().get('/api/ping').expect(200);
    expect(res.body).toEqual({
      success: true,
      message: 'pong',
      timestamp: expect.stringMatching(ISO),
    });
  });

  it('is ready while the database answers', async () => {
    const res = await t.http().get('/api/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { database: { status: 'ok' } } });
  });
});

describe('health when things fail', () => {
  it('reports degraded with 503 when a module check fails', async () => {
    const t = await createTestApp();
    try {
      t.app.get(HealthService).register('cache', () => {
        throw new Error('redis down');
      });
      const res = await t.http().get('/api/health?detailed=true').expect(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.checks.cache).toEqual({ status: 'error', error: 'redis down' });
      // The plain check stays cheap and answers 200: it is a liveness probe.
      await t.http().get('/api/health').expect(200);
    } finally {
      await t.close();
    }
  });

  it('reports unhealthy when more than two checks fail', async () => {
    const t = await createTestApp();
    try {
      const health = t.app.get(HealthService);
      for (const name of ['sessions', 'analytics', 'error_tracker']) {
        health.register(name, () => ({ status: 'error', error: `${name} broken` }));
      }
      const res = await t.http().get('/api/health?detailed=true').expect(503);
      expect(res.body.status).toBe('unhealthy');
    } finally {
      await t.close();
    }
  });

  it('is not ready when the database is gone', async () => {
    const t = await createTestApp();
    try {
      await t.dataSource.destroy();
      const res = await t.http().get('/api/health/ready').expect(503);
      expect(res.body).toMatchObject({
        status: 'not_ready',
        checks: { database: { status: 'error' } },
      });
    } finally {
      await t.close();
    }
  });
});
