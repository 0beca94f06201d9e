// Live events in a real browser: with the map (or an embed) open, an
// article POSTed to the server makes its event appear without reload.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, shot, startServer, watchErrors } from './helpers.mjs';
import { tileServer } from './fixtures.mjs';

const TOKEN = 'browser-live-token';
let dir;
let tiles;
let S;
let browser;

const data = (page) => page.evaluate(() => ({ ...document.getElementById('map').dataset }));

async function post(text) {
  const res = await fetch(`${S.url}/api/articles`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ text, published: '2019-08-27', source: 'Test' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

async function openLive(url) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.errors = watchErrors(page);
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded', null, { timeout: 60000 });
  // Marks the document: a reload would lose it.
  await page.evaluate(() => { window.sameDocument = true; });
  return page;
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-live-'));
  tiles = await tileServer();
  S = await startServer({ command: 'serve', db: path.join(dir, 'live.db'), args: ['--tile-url', tiles.template], env: { FRONTLINE_TOKEN: TOKEN } });
  // One event before the page opens, so the map has something loaded.
  await post("Un attentat à la voiture piégée a fait au moins cinq morts samedi à Qamichli, ville du nord-est de la Syrie, selon les autorités kurdes.");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await S?.stop();
  await tiles?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('live map', () => {
  test('an article posted while the map is open shows its event within 5 s, highlighted, without reload', async () => {
    const page = await openLive(`${S.url}/?lat=35.5&lng=37.5&z=7`);
    await page.waitForFunction(() => document.getElementById('map').dataset.live === 'live', null, { timeout: 10000 });
    assert.equal(await page.locator('.fl-live[data-state="live"]').count(), 1);
    const before = await data(page);
    const t0 = Date.now();
    const stored = await post("Des tirs d'artillerie ont touché dimanche plusieurs quartiers de Deraa, tuant trois civils, selon une organisation locale.");
    const id = String(stored.events.features[0].id);
    await page.waitForFunction((want) => document.getElementById('map').dataset.lastLive === want, id, { timeout: 5000 });
    const ms = Date.now() - t0;
    const after = await data(page);
    assert.equal(after.liveEvents, String(stored.events.features.length));
    assert.ok(Number(after.shown) > Number(before.shown), `${before.shown} → ${after.shown} shown`);
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload');
    assert.ok(await page.locator('.leaflet-marker-icon.fl-new').count() >= 1, 'the new marker is highlighted');
    assert.match(await page.locator('.fl-live').textContent(), /\+1/);
    await shot(page, 'live-new-event');
    assert.deepEqual(page.errors, []);
    console.log(`# live event on the map ${ms} ms after the POST`);
    await page.close();
  });

  test('an event rejected by a reviewer leaves the open map without reload', async () => {
    const stored = await post("Des combats ont opposé jeudi l'armée aux rebelles près de Hama, selon une organisation locale.");
    const id = stored.events.features[0].id;
    const page = await openLive(`${S.url}/?lat=35.5&lng=37.5&z=7&event=${id}`);
    await page.waitForFunction(() => document.getElementById('map').dataset.live === 'live', null, { timeout: 10000 });
    await page.waitForFunction((want) => document.getElementById('map').dataset.popup === want, String(id), { timeout: 10000 });
    const before = await data(page);
    const res = await fetch(`${S.url}/api/events/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ status: 'rejected', note: 'test' }),
    });
    assert.equal(res.status, 200, await res.text());
    await page.waitForFunction((want) => document.getElementById('map').dataset.lastRemoved === want, String(id), { timeout: 5000 });
    const after = await data(page);
    assert.equal(Number(after.shown), Number(before.shown) - 1, `${before.shown} → ${after.shown} shown`);
    // Leaflet fades a closed popup out for 200 ms before removing it.
    await page.waitForFunction(() => !document.querySelector('.leaflet-popup'), null, { timeout: 2000 });
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload');
    await shot(page, 'live-removed');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('embeds receive events live unless live=0', async () => {
    const live = await openLive(`${S.url}/embed?lat=35.5&lng=37.5&z=7`);
    await live.waitForFunction(() => document.getElementById('map').dataset.live === 'live', null, { timeout: 10000 });
    const off = await openLive(`${S.url}/embed?lat=35.5&lng=37.5&z=7&live=0`);
    const streams = [];
    off.on('request', (r) => { if (r.url().includes('/api/events/stream')) streams.push(r.url()); });
    const stored = await post("Des frappes aériennes ont visé mardi Maarat al-Nouman, dans la province d'Idleb, faisant au moins six morts parmi les civils.");
    const id = String(stored.events.features[0].id);
    await live.waitForFunction((want) => document.getElementById('map').dataset.lastLive === want, id, { timeout: 5000 });
    await off.waitForTimeout(1500);
    assert.equal((await data(off)).lastLive, undefined);
    assert.equal(await off.locator('.fl-live').count(), 0);
    assert.deepEqual(streams, []);
    await shot(live, 'live-embed');
    await live.close();
    await off.close();
  });
});
