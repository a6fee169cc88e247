import { createTestApp, type TestApp } from './support/app';
import { ProbeModule } from './support/probe.module';

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
  });
  afterAll(() => t.close());

  describe('errors', () => {
    it('answers an unknown route with 404 in the error shape', async () => {
      const res = await t.http().get('/api/no-such-route').expect(404);
      expect(res.body).toEqual({
        error: 'Endpoint not found',
        code: 404,
        error_code: 'ROUTE_NOT_FOUND',
      });
    });

    it('lists each bad field of an invalid body', async () => {
      const res = await t
        .http()
        .post('/__probe/echo')
        .send({ name: 'x', count: 11, address: { email: 'nope' }, extra: true })
        .expect(400);
      expect(res.body).toMatchObject({ code: 400, error_code: 'VALIDATION_FAILED' });
      const fields = (res.body as { details: { field: string }[] }).details.map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'count', 'address.email', 'extra']));
      expect(typeof res.body.error).toBe('string');
    });

    it('accepts a valid body and strips nothing it declared', async () => {
      const body = { name: 'ok', count: 3, address: { email: 'a@example.com' } };
      await t.http().post('/__probe/echo').send(body).expect(200, body);
    });

    it('answers malformed JSON with 400, a request id and a log line', async () => {
      const res = await t
        .http()
        .post('/__probe/echo')
        .set('Content-Type', 'application/json')
        .send('{"name": "x",')
        .expect(400);
      expect(res.body).toEqual({
        error: 'Request body is not valid JSON',
        code: 400,
        error_code: 'MALFORMED_JSON',
      });
      const requestId = res.headers['x-request-id'];
      expect(requestId).toBeTruthy();
      expect(t.logs.forRequest(requestId)).toEqual([
        expect.objectContaining({ level: 40, res: { statusCode: 400 } }),
      ]);
    });

    it('accepts an empty body sent as application/json', async () => {
      const res = await t
        .http()
        .post('/__probe/raw')
        .set('Content-Type', 'application/json')
        .expect(200);
      expect(res.body).toEqual({ body: {} });
    });

    it('keeps Discord ids sent as JSON numbers exact', async () => {
      const res = await t
        .http()
        .post('/__probe/raw')
        .set('Content-Type', 'application/json')
        .send('{"log_channel_id": 1424815723476160533, "transcript_channel_id": null}')
        .expect(200);
      expect(res.body).toEqual({
        body: { log_channel_id: '1424815723476160533', transcript_channel_id: null },
      });
    });

    it('accepts 500 e-mail addresses of 254 characters and refuses a body over the limit with 413', async () => {
      const address = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(53)}.example`;
      expect(address).toHaveLength(254);
      const emails = Array.from({ length: 500 }, (_, i) => `Person Number ${i} <${address}>`).join(
        '\n',
      );
      const ok = await t
        .http()
        .post('/__probe/raw')
        .send({ emails, send_emails: false })
        .expect(200);
      expect((ok.body as { body: { emails: string } }).body.emails).toBe(emails);

      const tooLarge = await t
        .http()
        .post('/__probe/raw')
        .send({ blob: 'x'.repeat(1024 * 1024 + 1) })
        .expect(413);
      expect(tooLarge.body).toEqual({
        error: 'Request body is larger than 1mb',
        code: 413,
        error_code: 'PAYLOAD_TOO_LARGE',
      });
    });

    it('maps a domain error thrown by a handler to its status and code', async () => {
      const res = await t.http().get('/__probe/domain').expect(404);
      expect(res.body).toEqual({
        error: 'Widget not found',
        code: 404,
        error_code: 'WIDGET_MISSING',
      });
    });

    it('answers an unexpected failure with a bare 500 and logs the stack', async () => {
      const res = await t.http().get('/__probe/boom').expect(500);
      expect(res.body).toEqual({
        error: 'An unexpected error occurred',
        code: 500,
        error_code: 'INTERNAL_ERROR',
      });
      expect(res.text).not.toContain('secret internal detail');
      const lines = t.logs.forRequest(res.headers['x-request-id']);
      const failure = lines.find((line) => line.msg === 'Request failed unexpectedly');
      expect(failure).toMatchObject({
        level: 50,
        err: { message: expect.stringContaining('secret internal detail') },
      });
    });
  });

  describe('JSON answers', () => {
    it('are UTF-8 JSON with their length in bytes, and HEAD sends the headers alone', async () => {
      const text = 'Grüße, 世界 🎟️';
      const res = await t.http().post('/__probe/raw').send({ text }).expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({ body: { text } });
      expect(Number(res.headers['content-length'])).toBe(
        Buffer.byteLength(JSON.stringify({ body: { text } })),
      );
      const get = await t.http().get('/health').expect(200);
      const head = await t.http().head('/health').expect(200);
      expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text).toBeUndefined();
    });
  });

  describe('request ids', () => {
    it('generates one per request and echoes a well-formed incoming one', async () => {
      const generated = await t.http().get('/health').expect(200);
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const echoed = await t.http().get('/health').set('X-Request-Id', 'trace-abc.123').expect(200);
      expect(echoed.headers['x-request-id']).toBe('trace-abc.123');
      const replaced = await t
        .http()
        .get('/health')
        .set('X-Request-Id', 'bad id with spaces')
        .expect(200);
      expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
    });
  });

  describe('security headers', () => {
    it('sets helmet headers with a policy that loads Swagger UI from this origin', async () => {
      const res = await t.http().get('/docs').redirects(1).expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      // Every script Swagger UI needs is an external file from this origin, which script-src 'self' allows.
      const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(inline.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1] ?? '';
        expect(src).not.toMatch(/^(https?:)?\/\//);
        await t
          .http()
          .get(new URL(src, `${t.url}/docs`).pathname)
          .expect(200);
      }
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
});

describe('CORS', () => {
  const preflight = (t: TestApp, origin: string) =>
    t
      .http()
      .options('/api/health')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization,x-platform,x-session-id');

  it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
    const t = await createTestApp();
    try {
      const res = await t.http().get('/api/health').set('Origin', 'https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('allows exactly the listed origins, with credentials', async () => {
    const t = await createTestApp({
      env: { CORS_ORIGINS: 'https://admin.example.com,http://localhost:3000' },
    });
    try {
      const allowed = await preflight(t, 'https://admin.example.com').expect(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example.com');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      expect(allowed.headers['access-control-allow-headers']).toContain('x-platform');
      const simple = await t
        .http()
        .get('/api/health')
        .set('Origin', 'http://localhost:3000')
        .expect(200);
      expect(simple.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(simple.headers['access-control-expose-headers']).toContain('X-Request-Id');
      const denied = await preflight(t, 'https://evil.example');
      expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('never combines a wildcard with credentials', async () => {
    const t = await createTestApp({ env: { CORS_ORIGINS: '*' } });
    try {
      const res = await preflight(t, 'https://anywhere.example').expect(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('trust proxy', () => {
  const forwardedIp = async (env: Record<string, string>) => {
    const t = await createTestApp({ env });
    try {
      const res = await t.http().get('/health').set('X-Forwarded-For', '203.0.113.9').expect(200);
      const [line] = t.logs.forRequest(res.headers['x-request-id']);
      return (line.req as { ip: string }).ip;
    } finally {
      await t.close();
    }
  };

  it('ignores X-Forwarded-For by default', async () => {
    expect(await forwardedIp({})).toBe('127.0.0.1');
  });

  it('takes the client address from X-Forwarded-For when the proxy is trusted', async () => {
    expect(await forwardedIp({ TRUST_PROXY: 'loopback' })).toBe('203.0.113.9');
  });
});
