import { createTestApp, type TestApp } from './support/app';
import { FakeImageHost, PNG } from './support/image-host';

const proxied = (url: string) => `/api/proxy/image?url=${encodeURIComponent(url)}`;

describe('the image proxy', () => {
  let host: FakeImageHost;
  let t: TestApp;
  let strict: TestApp;

  beforeAll(async () => {
    host = await new FakeImageHost().start();
    // The fake host is on loopback: this instance may reach it, as no production one would.
    t = await createTestApp({
      env: {
        IMAGE_PROXY_ALLOWED_HOSTS: 'localhost,i.redd.it',
        IMAGE_PROXY_ALLOW_PRIVATE: 'true',
        // Long enough for 6 MB to be read up to the cap on a loaded machine.
        IMAGE_PROXY_TIMEOUT_MS: '3000',
      },
    });
    strict = await createTestApp({
      env: { IMAGE_PROXY_ALLOWED_HOSTS: 'localhost,i.redd.it', IMAGE_PROXY_PER_MINUTE: '8' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await strict?.close();
    await host?.stop();
  });

  it('serves an allowed image without a token, cached, for other origins too', async () => {
    const res = await t
      .http()
      .get(proxied(host.url('/cat.png')))
      .expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    await t
      .http()
      .get(proxied(host.url('/cat.png')))
      .expect(200);
    expect(host.hits.get('/cat.png')).toBe(1);
  });

  it('follows redirects to allowed hosts only, and at most three', async () => {
    await t
      .http()
      .get(proxied(host.url('/redirect-ok')))
      .expect(200);
    const evil = await t
      .http()
      .get(proxied(host.url('/redirect-evil')))
      .expect(403);
    expect(evil.body).toMatchObject({
      error: 'URL domain not allowed',
      error_code: 'DOMAIN_NOT_ALLOWED',
    });
    const loop = await t
      .http()
      .get(proxied(host.url('/redirect-loop')))
      .expect(502);
    expect(loop.body.error_code).toBe('UPSTREAM_ERROR');
    expect(host.hits.get('/redirect-loop')).toBe(4);
  });

  it('refuses what is not an image of at most 5 MB, and says why', async () => {
    expect(
      (
        await t
          .http()
          .get(proxied(host.url('/page.html')))
          .expect(502)
      ).body.error_code,
    ).toBe('NOT_AN_IMAGE');
    for (const path of ['/big.png', '/declared-big.png']) {
      const res = await t
        .http()
        .get(proxied(host.url(path)))
        .expect(502);
      expect({ path, code: res.body.error_code }).toEqual({ path, code: 'IMAGE_TOO_LARGE' });
    }
    expect(
      (
        await t
          .http()
          .get(proxied(host.url('/gone.png')))
          .expect(502)
      ).body.error_code,
    ).toBe('UPSTREAM_ERROR');
    const slow = await t
      .http()
      .get(proxied(host.url('/slow.png')))
      .expect(504);
    expect(slow.body).toMatchObject({
      error: 'Image request timed out',
      error_code: 'UPSTREAM_TIMEOUT',
    });
  });

  it('refuses hosts that only look allowed, other schemes, and private addresses', async () => {
    const refused = async (url: string | undefined, status: number, code: string) => {
      const res = await strict.http().get(url === undefined ? '/api/proxy/image' : proxied(url));
      expect({ url, status: res.status, code: res.body.error_code }).toEqual({ url, status, code });
    };
    const hits = host.hits.get('/cat.png');
    await refused(undefined, 400, 'URL_REQUIRED');
    await refused('ftp://i.redd.it/cat.png', 400, 'INVALID_URL');
    await refused('https://i.redd.it.evil.example/cat.png', 403, 'DOMAIN_NOT_ALLOWED');
    await refused('https://evil-i.redd.it.example/cat.png', 403, 'DOMAIN_NOT_ALLOWED');
    await refused('http://127.0.0.1/cat.png', 403, 'DOMAIN_NOT_ALLOWED');
    await refused('http://169.254.169.254/latest/meta-data/', 403, 'DOMAIN_NOT_ALLOWED');
    // An allowed name that resolves to loopback is refused when connecting, even while another
    // client of the process (the permissive instance) keeps a connection to that host open.
    await t
      .http()
      .get(proxied(host.url('/page.html')))
      .expect(502);
    await refused(host.url('/cat.png'), 403, 'ADDRESS_NOT_ALLOWED');
    expect(host.hits.get('/cat.png')).toBe(hits);
  });

  it('limits how often one address may use it', async () => {
    // The previous test spent 7 of this instance's 8 per minute.
    await strict.http().get(proxied('https://i.redd.it.evil.example/x.png')).expect(403);
    const limited = await strict.http().get(proxied('https://i.redd.it.evil.example/x.png'));
    expect(limited.status).toBe(429);
  });
});
