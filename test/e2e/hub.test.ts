// Level C: the sandbox's Hub in a real browser (Debian's chromium, driven by playwright-core,
// with JavaScript off, as the page promises to work without it), opened from the link a real
// `cst create --sandbox --wait` printed; the waiting process reports what the click did.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAndWait, cst, isolatedEnv, pointedAt, serve } from './cli.js';

const CHROMIUM = process.env.CST_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CST_CHROMIUM)`);
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
  context = await browser.newContext({ javaScriptEnabled: false });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

const acme = (id: string) => ({ id, name: 'Acme Ltd', categories: 'hris,ats' });

describe('the Hub, in a browser', () => {
  it('Connect: the waiting create exits 0 with the account', async () => {
    const { link, done } = await createAndWait(acme('cus_web'));
    const page = await context.newPage();
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    expect(await page.textContent('#owner')).toBe('Acme Ltd');
    expect(await page.textContent('#categories')).toBe('hris, ats');
    await page.check('input[value="greenhouse"]');
    await page.click('button[value="authenticated"]');
    expect(await page.textContent('#result')).toBe('Connected');
    const account = await page.textContent('#account');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `linked: cus_web connected greenhouse: account ${account} (active)\n`,
    );
    await page.close();
  });

  it.each([
    ['error', 'Fail', 'Connection failed', /^error: the customer's link failed: access_denied: /],
    ['cancelled', 'Cancel', 'Cancelled', /^error: the customer cancelled the link /],
  ])('%s: %s exits 13', async (outcome, _button, heading, message) => {
    const { link, done } = await createAndWait(acme(`cus_${outcome}`));
    const page = await context.newPage();
    await page.goto(link);
    await page.click(`button[value="${outcome}"]`);
    expect(await page.textContent('#result')).toBe(heading);
    const result = await done;
    expect(result.code).toBe(13);
    expect(result.stderr).toMatch(message);
    await page.close();
  });

  it('a decided session: opening its link again shows the outcome, not Connect', async () => {
    const base = await isolatedEnv();
    const served = await serve(base);
    try {
      const env = pointedAt(served, base);
      const created = await cst(
        ['create', '--owner-id', 'cus_twice', '--owner-name', 'Twice', '-c', 'hris', '--json'],
        env,
      );
      const { auth_link_url: link } = JSON.parse(created.stdout) as { auth_link_url: string };
      const page = await context.newPage();
      await page.goto(link);
      await page.click('button[value="authenticated"]');
      const account = await page.textContent('#account');
      const again = await page.goto(link);
      expect(again?.status()).toBe(409);
      expect(await page.textContent('h1')).toBe('Already decided');
      expect(await page.textContent('p')).toContain(`connected (account ${account})`);
      expect(await page.locator('button').count()).toBe(0);
      await page.close();
    } finally {
      await served.stop();
    }
  });

  it('an expired link: a 404 page, and cst wait exits 14', async () => {
    const base = await isolatedEnv();
    const served = await serve(base);
    try {
      const env = pointedAt(served, base);
      const created = await cst(
        [
          'create',
          '--owner-id',
          'cus_late',
          '--owner-name',
          'Late',
          '--expires-in',
          '1s',
          '--json',
        ],
        env,
      );
      const { token, auth_link_url: link } = JSON.parse(created.stdout) as {
        token: string;
        auth_link_url: string;
      };
      // The token's second runs out: the link answers 404 from then on.
      const page = await context.newPage();
      let opened = await page.goto(link);
      for (let tries = 0; opened?.status() !== 404 && tries < 100; tries++) {
        await page.waitForTimeout(50);
        opened = await page.goto(link);
      }
      expect(opened?.status()).toBe(404);
      expect(await page.textContent('h1')).toBe('Link not found');
      await page.close();
      const waited = await cst(['wait', '--token-stdin'], env, token);
      expect(waited.code).toBe(14);
    } finally {
      await served.stop();
    }
  });
});
