// Logging in and out in a real browser: the /login form, the session
// cookie, the name and the logout button in the header, the CSRF meta tag
// for scripts, a fetch with the cookie and the token, and the `next`
// redirect. An account is made with `frontline user add` on a real SQLite
// file first.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { audit, binary, launch, shot, startServer, watchErrors } from './helpers.mjs';
import { tileServer } from './fixtures.mjs';

const PASSWORD = 'un mot de passe solide';
let dir;
let tiles;
let S;
let browser;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-login-'));
  const db = path.join(dir, 'login.db');
  const out = execFileSync(binary(), ['user', 'add', 'lina', '--role', 'editor', '--password-stdin', '--db', db], {
    input: `${PASSWORD}\n`, env: { ...process.env, RUST_LOG: 'warn' },
  }).toString();
  assert.match(out.trim().split('\n').pop(), /^fl_[0-9a-f]{64}$/);
  tiles = await tileServer();
  S = await startServer({ command: 'serve', db, args: ['--tile-url', tiles.template], unset: ['FRONTLINE_TOKEN'] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await S?.stop();
  await tiles?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(viewport = { width: 1100, height: 760 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = watchErrors(page);
  return page;
}

async function fillLogin(page, password) {
  await page.fill('#fl-login-name', 'lina');
  await page.fill('#fl-login-password', password);
  await Promise.all([page.waitForNavigation(), page.click('.fl-login-form button[type="submit"]')]);
}

describe('login', () => {
  test('log in through the form, see the name in the header, post with the CSRF token, log out', async () => {
    const page = await newPage();
    await page.goto(`${S.url}/`);
    await page.click('.fl-header a.fl-login-link');
    assert.equal(new URL(page.url()).pathname, '/login');
    await assert.doesNotReject(page.locator('#fl-login-name').waitFor());
    await shot(page, 'login-form');
    const violations = await audit(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));

    // A wrong password: the form again, with the message.
    await fillLogin(page, 'pas le bon');
    assert.match(await page.locator('.fl-login-error').textContent(), /incorrect/);
    assert.equal(await page.inputValue('#fl-login-name'), 'lina');

    await fillLogin(page, PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/');
    await page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded', null, { timeout: 60000 });
    assert.equal((await page.locator('.fl-header .fl-account-name').textContent()).trim(), 'lina');
    assert.equal(await page.locator('.fl-header a.fl-login-link').count(), 0);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'frontline_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Lax', JSON.stringify(cookies));
    assert.equal(await page.evaluate(() => document.cookie.includes('frontline_session')), false, 'HttpOnly: scripts cannot read it');
    await shot(page, 'login-map-logged-in');

    // What the review page's scripts do: the token from the meta tag, the
    // cookie sent along.
    const status = await page.evaluate(async () => {
      const token = document.querySelector('meta[name="csrf-token"]').content;
      const post = (headers) => fetch('/api/articles', {
        method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ text: "Des frappes ont visé mardi la ville d'Ariha, faisant 2 morts.", published: '2019-06-04' }),
      }).then((r) => r.status);
      return [await post({}), await post({ 'X-CSRF-Token': token })];
    });
    assert.deepEqual(status, [403, 201]);

    await Promise.all([page.waitForNavigation(), page.click('.fl-header .fl-logout button')]);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.fl-header a.fl-login-link').count(), 1);
    assert.equal(await page.locator('meta[name="csrf-token"]').count(), 0);
    assert.equal((await page.context().cookies()).some((c) => c.name === 'frontline_session'), false);
    await shot(page, 'login-logged-out');
    // The wrong password's 401 and the fetch without a token's 403 are
    // meant; nothing else may fail.
    const unexpected = page.errors.filter((e) => !/status of (401|403)/.test(e));
    assert.deepEqual(unexpected, []);
    assert.equal(page.errors.length, 2, page.errors.join('\n'));
    await page.context().close();
  });

  test('after login the browser goes where it was going (a local path only)', async () => {
    const page = await newPage();
    await page.goto(`${S.url}/login?next=${encodeURIComponent('/places/aleppo')}`);
    await fillLogin(page, PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/places/aleppo');
    assert.equal((await page.locator('.fl-header .fl-account-name').textContent()).trim(), 'lina');
    await page.context().close();

    const other = await newPage();
    await other.goto(`${S.url}/login?next=${encodeURIComponent('//example.org/x')}`);
    await fillLogin(other, PASSWORD);
    assert.equal(other.url(), `${S.url}/`);
    await other.context().close();
  });

  test('on a phone the header keeps one line with the logout button reachable', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${S.url}/login`);
    await fillLogin(page, PASSWORD);
    const header = await page.locator('.fl-header').boundingBox();
    assert.ok(header.height <= 56, `header ${header.height} px high`);
    const button = await page.locator('.fl-header .fl-logout button').boundingBox();
    assert.ok(button && button.x + button.width <= 390 && button.height >= 44, JSON.stringify(button));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no horizontal scroll');
    await shot(page, 'login-phone');
    await page.context().close();
  });
});
