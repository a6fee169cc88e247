import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { createTestApp, type TestApp } from './support/app';
import { ALL_INVITE_SCOPES, partnerKey } from './support/users';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// .ci/run installs Debian's chromium when it is missing; elsewhere the test reports as skipped.
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithBrowser('the Build Crew test form in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await createTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('generates a code with the key a person types in, and shows it on the page', async () => {
    const key = await partnerKey(t, ALL_INVITE_SCOPES);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${t.url}/`);
    await page.fill('#api-key', key);
    await page.selectOption('#role', 'BC2');
    await page.click('#generate');
    const item = page.locator('#codes li.created-code').first();
    await item.waitFor();
    const code = (await item.textContent()) ?? '';
    expect(code).toMatch(/^[a-z0-9]{16}$/);
    expect(await page.textContent('#status')).toBe('HTTP 200');

    await page.click('#list');
    await page.locator('#output', { hasText: code }).waitFor();
    expect(problems).toEqual([]);

    const listed = await t.http().get('/list_codes').set('X-API-Key', key).expect(200);
    expect(listed.body.codes).toEqual([expect.objectContaining({ code, role: 'BC2' })]);
  });

  it('runs the bulk routes from the page', async () => {
    const key = await partnerKey(t, ALL_INVITE_SCOPES);
    const page = await browser.newPage();
    await page.goto(`${t.url}/`);
    await page.fill('#api-key', key);
    await page.click('#bulk-accept');
    await page.locator('#codes li', { hasText: 'ACCEPT_BC1_' }).waitFor();
    await page.fill('#emails', 'ann@example.com\nBen <ben@example.com>');
    await page.click('#bulk-email');
    await page.locator('#output', { hasText: 'Processed 2 emails' }).waitFor();
    expect(await page.locator('#codes li', { hasText: 'BULK_' }).count()).toBe(2);
  });

  it('shows an error for a wrong key', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.url}/`);
    await page.fill('#api-key', 'wrong-key');
    await page.click('#test-auth');
    await page.locator('#status', { hasText: 'HTTP 401' }).waitFor();
    expect(await page.textContent('#output')).toContain('Invalid API key');
  });
});
