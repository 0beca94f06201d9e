// The reviewers' page in a real browser, with the keyboard: log in at
// /login as an editor (made with `frontline user add`), accept the first
// event of the queue (a), correct another's place through the gazetteer
// search, reject a third (r); the rejected one leaves /api/events, and the
// decisions carry the editor's name. Articles are posted and checked with
// the bootstrap token.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binary, launch, shot, startServer, watchErrors } from './helpers.mjs';
import { tileServer } from './fixtures.mjs';

const TOKEN = 'browser-review-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const PASSWORD = 'une relecture attentive';
let dir;
let tiles;
let S;
let browser;

async function post(text, published) {
  const res = await fetch(`${S.url}/api/articles`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...AUTH },
    body: JSON.stringify({ text, published, source: 'Test' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
}

const queue = async (status) => (await (await fetch(`${S.url}/api/review/queue?status=${status}`, { headers: AUTH })).json()).events;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-review-'));
  const db = path.join(dir, 'review.db');
  execFileSync(binary(), ['user', 'add', 'rita', '--role', 'editor', '--password-stdin', '--db', db], {
    input: `${PASSWORD}\n`, env: { ...process.env, RUST_LOG: 'warn' },
  });
  tiles = await tileServer();
  S = await startServer({ command: 'serve', db, args: ['--tile-url', tiles.template], env: { FRONTLINE_TOKEN: TOKEN } });
  await post("Un attentat à la voiture piégée a fait au moins cinq morts samedi à Qamichli, selon les autorités kurdes.", '2019-07-06');
  await post("Des tirs d'artillerie ont touché dimanche plusieurs quartiers de Deraa, tuant trois civils.", '2019-07-07');
  await post("Des frappes aériennes ont visé lundi la ville de Maaret al-Noomane, tuant six personnes.", '2019-07-08');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await S?.stop();
  await tiles?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page of a fresh browser context, logged in as the editor through /login (sent there by /review). */
async function loggedIn(viewport, opts = {}) {
  const context = await browser.newContext({ viewport, ...opts });
  const page = await context.newPage();
  page.errors = watchErrors(page);
  await page.goto(`${S.url}/review`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/review');
  await page.fill('#fl-login-name', 'rita');
  await page.fill('#fl-login-password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('.fl-login-form button[type="submit"]')]);
  assert.equal(new URL(page.url()).pathname, '/review');
  return page;
}

describe('review page', () => {
  test('accept, correct a place and reject with the keyboard', async () => {
    const page = await loggedIn({ width: 1200, height: 900 });
    const { errors } = page;
    assert.equal(await page.locator('.fl-header .fl-account-name').textContent(), 'rita');
    await page.waitForSelector('#review-queue li[data-index]');
    const total = (await queue('auto')).length;
    assert.ok(total >= 3, `${total} events to review`);
    await page.locator('#review-queue').focus();
    await page.waitForSelector('#review-article mark');
    // The stylesheet's rules reach the page: two columns, the closed
    // correction form really hidden.
    const layout = await page.evaluate(() => {
      const grid = getComputedStyle(document.querySelector('.fl-review-grid'));
      return {
        display: grid.display,
        columns: grid.gridTemplateColumns.split(' ').length,
        form: getComputedStyle(document.getElementById('review-edit')).display,
        padding: parseFloat(getComputedStyle(document.querySelector('.fl-review')).paddingLeft),
      };
    });
    assert.deepEqual({ ...layout, padding: layout.padding > 0 }, { display: 'grid', columns: 2, form: 'none', padding: true });
    await shot(page, 'review-queue');
    // a: accept the first.
    const first = await page.locator('#review-queue li[aria-selected="true"]').getAttribute('id');
    await page.keyboard.press('a');
    await page.waitForFunction(() => /accepté/.test(document.getElementById('review-status').textContent));
    const accepted = (await queue('accepted')).find((e) => `q-${e.id}` === first);
    assert.equal(accepted?.reviewed_by, 'rita', 'recorded under the editor\'s name');
    // e: correct the next one's place through the gazetteer search.
    await page.keyboard.press('e');
    await page.locator('#e-place-q').fill('Alep');
    await page.waitForSelector('#e-place-list li');
    await page.locator('#e-place-q').press('ArrowDown');
    await page.keyboard.press('Enter');
    const chosen = await page.locator('#e-place-id').inputValue();
    assert.ok(chosen, 'a place was chosen');
    await shot(page, 'review-edit');
    await page.locator('#review-edit button[type="submit"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /corrigé/.test(document.getElementById('review-status').textContent));
    const edited = await queue('edited');
    assert.equal(edited.length, 1);
    assert.equal(edited[0].place_id, chosen);
    // r: reject the last one; it leaves the public API.
    await page.locator('#review-queue').focus();
    const rejectedId = Number((await page.locator('#review-queue li[aria-selected="true"]').getAttribute('id')).slice(2));
    await page.keyboard.press('r');
    await page.waitForFunction(() => /rejeté/.test(document.getElementById('review-status').textContent));
    const pub = await (await fetch(`${S.url}/api/events`)).json();
    assert.ok(!pub.features.some((f) => f.id === rejectedId), 'rejected event not public');
    assert.ok(pub.features.length >= 2);
    const points = await (await fetch(`${S.url}/api/events/points`)).json();
    assert.ok(!points.rows.some((r) => r[0] === rejectedId), 'rejected event not on the map');
    // The map's header leads an editor to the review.
    const map = await page.context().newPage();
    await map.goto(`${S.url}/`);
    assert.equal(await map.locator('.fl-header a.fl-review-link').getAttribute('href'), '/review');
    await map.close();
    // The queue is empty now: no buttons without an event to act on.
    await page.waitForFunction(() => !document.getElementById('review-none').hidden);
    assert.equal(await page.locator('#btn-accept').isVisible(), false);
    await shot(page, 'review-done');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("an editor reads an event's review history in its popup; a visitor's popup has none", async () => {
    const checked = (await queue('accepted'))[0];
    assert.ok(checked, 'an accepted event from the test before');
    const page = await loggedIn({ width: 1200, height: 900 });
    await page.goto(`${S.url}/?event=${checked.id}`);
    const history = page.locator('.leaflet-popup .fl-history');
    await history.waitFor({ timeout: 30000 });
    await history.locator('summary').click();
    await page.waitForFunction(() => /rita/.test(document.querySelector('.leaflet-popup .fl-history ul').textContent));
    assert.match(await history.locator('li').first().textContent(), /rita · status : "auto" → "accepted"/);
    await shot(page, 'review-popup-history');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    const visitor = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await visitor.goto(`${S.url}/?event=${checked.id}`);
    await visitor.locator('.leaflet-popup .fl-popup').waitFor({ timeout: 30000 });
    assert.equal(await visitor.locator('.leaflet-popup .fl-history').count(), 0);
    await visitor.context().close();
  });

  test('the embed dialog offers only checked events (review=accepted), kept in the map URL', async () => {
    // One more event, left unreviewed (public, but not checked).
    await post("Des combats ont opposé mercredi les rebelles à l'armée près de Hama, selon l'OSDH.", '2019-07-10');
    const count = async (q) => (await (await fetch(`${S.url}/api/events/points?${q}`)).json()).rows.length;
    const publicCount = await count('');
    const checkedCount = await count('review=accepted');
    assert.equal(checkedCount, 2, 'the accepted and the corrected event');
    assert.ok(publicCount > checkedCount, `${publicCount} public events`);
    const loaded = (page) => page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded');
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${S.url}/?lat=35&lng=38&z=6`);
    await loaded(page);
    assert.equal(Number(await page.evaluate(() => document.getElementById('map').dataset.loaded)), publicCount);
    await page.locator('.fl-embed-button').click();
    const code = page.locator('textarea.fl-embed-code');
    await code.waitFor();
    const box = page.locator('input[name=review]');
    assert.equal(await box.isChecked(), false);
    assert.ok(!(await code.inputValue()).includes('review='));
    await box.check();
    const html = await code.inputValue();
    assert.match(html, /embed\?[^"]*&amp;review=accepted&amp;/, html);
    assert.match(await page.locator('.fl-download-png').getAttribute('href'), /[?&]review=accepted(&|$)/);
    await shot(page, 'review-embed-dialog');
    const src = (await page.locator('.fl-embed-preview').getAttribute('href'));
    await page.close();

    // The embedded map loads only the checked events, and keeps the choice
    // in its URL (a link to the full map too).
    const embed = await browser.newPage({ viewport: { width: 800, height: 500 } });
    const embedErrors = watchErrors(embed);
    await embed.goto(src);
    await loaded(embed);
    assert.equal(Number(await embed.evaluate(() => document.getElementById('map').dataset.loaded)), checkedCount);
    assert.ok(new URL(embed.url()).searchParams.get('review') === 'accepted', embed.url());
    assert.match(await embed.locator('.fl-fulllink a').getAttribute('href'), /[?&]review=accepted(&|$)/);
    await shot(embed, 'review-embed-checked');
    assert.deepEqual(embedErrors, []);
    await embed.close();

    // The full map opened with review=accepted: the dialog starts checked.
    const full = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await full.goto(`${S.url}/?review=accepted`);
    await loaded(full);
    assert.equal(Number(await full.evaluate(() => document.getElementById('map').dataset.loaded)), checkedCount);
    await full.locator('.fl-embed-button').click();
    assert.equal(await full.locator('input[name=review]').isChecked(), true);
    assert.deepEqual(errors, []);
    await full.close();
  });

  test('on a phone the columns stack and the page fits the width', async () => {
    const page = await loggedIn({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
    const { errors } = page;
    // The first test reviewed everything: list every status.
    await page.selectOption('#f-status', 'auto,accepted,edited,rejected');
    await page.locator('#review-filters button[type="submit"]').click();
    await page.waitForSelector('#review-queue li[data-index]');
    await page.waitForSelector('#review-article mark');
    await page.waitForFunction(() => /^[1-9]\d* événement/.test(document.getElementById('review-status').textContent));
    const m = await page.evaluate(() => {
      const grid = document.querySelector('.fl-review-grid');
      const [queue, detail] = grid.children;
      return {
        columns: getComputedStyle(grid).gridTemplateColumns.split(' ').length,
        stacked: detail.getBoundingClientRect().top >= queue.getBoundingClientRect().bottom,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        button: document.getElementById('btn-accept').getBoundingClientRect().height,
      };
    });
    assert.equal(m.columns, 1);
    assert.ok(m.stacked, 'the event comes under the queue');
    assert.ok(m.overflow <= 0, `no sideways scrolling (${m.overflow} px)`);
    assert.ok(m.button >= 44, `touch-sized buttons (${m.button} px)`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'review-phone');
    await page.evaluate(() => document.querySelector('.fl-review-detail').scrollIntoView());
    await shot(page, 'review-phone-detail');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('without a session the page sends to /login; the API refuses', async () => {
    const res = await fetch(`${S.url}/review`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?next=/review');
    assert.equal((await fetch(`${S.url}/api/review/queue`)).status, 401);
  });
});
