import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { AnalyticsRecorder } from '../src/analytics/analytics-recorder';
import { createTestApp, TEST_ADMIN_PASSWORD, type TestApp } from './support/app';
import { adminToken } from './support/users';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// .ci/run installs Debian's chromium when it is missing; elsewhere the test reports as skipped.
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithBrowser('the analytics dashboard in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await createTestApp({ env: { ANALYTICS_FLUSH_MS: '0' } });
    const recorder = t.app.get(AnalyticsRecorder);
    const day = 86_400_000;
    // Forty days of activity: two users, two platforms.
    for (let i = 0; i < 40; i += 1) {
      for (const [user, platform] of [
        ['user-a', 'Android'],
        ['user-b', 'Web'],
      ]) {
        recorder.record({
          at: new Date(Date.now() - i * day),
          kind: 'request',
          name: 'tickets.get_tickets',
          method: 'GET',
          status: 200,
          userId: user,
          sessionId: `${user}-${i}`,
          platform,
          appVersion: '1.0',
          props: null,
          client: { deviceInfo: null, clientSessionId: null, ip: null, userAgent: null },
        });
      }
    }
    await recorder.flush();
    // A live session of the admin.
    await t
      .http()
      .get('/api/ping')
      .set('Authorization', `Bearer ${await adminToken(t)}`);
    await recorder.flush();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs staff in, draws the charts from the rollups and switches the range', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${t.url}/analytics`);
    await page.fill('#username', 'admin');
    await page.fill('#password', TEST_ADMIN_PASSWORD);
    await page.click('#sign-in');
    await page.locator('#charts[data-ready="30"]').waitFor();
    // Chart.js's own registry: each canvas has a chart, with this many labels.
    const drawn = await page.evaluate<number[]>(
      `['chart-users', 'chart-sessions', 'chart-platforms', 'chart-features'].map((id) => {
        const chart = Chart.getChart(document.getElementById(id));
        return chart ? chart.data.labels.length : -1;
      })`,
    );
    // 30 days of the seed (today included) plus today's admin ping, both platforms and the feature.
    expect(drawn[0]).toBe(30);
    expect(drawn[1]).toBe(30);
    expect(drawn[2]).toBeGreaterThanOrEqual(2);
    expect(drawn[3]).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#heatmap div').count()).toBe(24);
    expect(await page.textContent('#total-sessions')).toBe('61');
    await page.locator('#live tr').first().waitFor();
    expect(await page.textContent('#live')).toContain('admin');

    await page.click('button[data-range="all"]');
    await page.locator('#charts[data-ready="all"]').waitFor();
    expect(await page.textContent('#total-sessions')).toBe('81');
    expect(await page.getAttribute('button[data-range="all"]', 'aria-pressed')).toBe('true');

    // The token lives in this tab's session storage: a reload stays signed in.
    await page.reload();
    await page.locator('#charts[data-ready="30"]').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows why a sign-in failed', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.url}/analytics`);
    await page.fill('#username', 'admin');
    await page.fill('#password', 'wrong-password');
    await page.click('#sign-in');
    await page.locator('#login-error:not(:empty)').waitFor();
    expect(await page.isVisible('#app')).toBe(false);
  });
});
