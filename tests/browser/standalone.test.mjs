// One binary serves the map: the built `frontline` binary alone, copied
// into an empty folder and started there (no source tree next to it, no
// --assets, no FRONTLINE_ASSETS), shows the map with its markers; its
// static files are cached for a year under versioned URLs, with ETags.
// And `--assets DIR` still serves a front-end folder from disk, for
// front-end work.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binary, launch, ROOT, shot, startServer, watchErrors } from './helpers.mjs';
import { tilePng, tileServer } from './fixtures.mjs';

const IMMUTABLE = 'public, max-age=31536000, immutable';
let dir;
let server;
let browser;

const loaded = (page) => page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded', null, { timeout: 60000 });

/** Open `url` in a new page that answers OpenStreetMap's tiles itself (no
 *  test reaches the Internet); returns the page and every /assets/ answer. */
async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.errors = watchErrors(page);
  const png = tilePng();
  await page.route('https://tile.openstreetmap.org/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: png }));
  const assets = [];
  page.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/assets/')) assets.push(r); });
  await page.goto(url);
  return { page, assets };
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-standalone-'));
  const bin = path.join(dir, 'frontline');
  copyFileSync(binary(), bin);
  chmodSync(bin, 0o755);
  assert.deepEqual(readdirSync(dir), ['frontline'], 'the folder holds the binary only');
  // `frontline demo --addr 127.0.0.1:<port>`, run in that folder.
  server = await startServer({
    command: 'demo', bin, cwd: dir, env: { RUST_LOG: 'info' }, unset: ['FRONTLINE_ASSETS', 'FRONTLINE_DB'],
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the binary alone', () => {
  test('shows the map with its markers from an empty folder', async () => {
    assert.ok(existsSync(path.join(dir, 'frontline-demo.db')), 'the demo database is built in the working folder');
    assert.match(server.logs(), /front end embedded: \d+ files/);
    const { page, assets } = await open(`${server.url}/`);
    await page.locator('.leaflet-marker-icon').first().waitFor({ timeout: 30000 });
    await loaded(page);
    const markers = await page.locator('.leaflet-marker-icon').count();
    assert.ok(markers > 5, `${markers} markers`);
    const d = await page.evaluate(() => ({ ...document.getElementById('map').dataset }));
    assert.ok(Number(d.loaded) >= 120, `demo events loaded: ${d.loaded}`);
    assert.equal(await page.evaluate(() => typeof window.L?.markerClusterGroup), 'function', 'Leaflet and markercluster are loaded');
    // The areas of control need Syria's border, read from the embedded atlas.
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt);
    await shot(page, 'standalone-map');
    assert.deepEqual(page.errors, []);
    // Every static file came from a versioned URL, cached for a year.
    assert.ok(assets.length >= 20, `${assets.length} static files`);
    const prefixes = new Set(assets.map((r) => new URL(r.url()).pathname.split('/').slice(0, 3).join('/')));
    assert.equal(prefixes.size, 1, [...prefixes].join(' '));
    assert.match([...prefixes][0], /^\/assets\/[0-9a-f]{16}$/);
    for (const r of assets) {
      assert.equal(r.status(), 200, r.url());
      const h = await r.allHeaders();
      assert.equal(h['cache-control'], IMMUTABLE, r.url());
      assert.match(h.etag, /^"[0-9a-f]{32}"$/, r.url());
    }
    await page.close();
  });

  test('static files and cacheable answers revalidate with their ETag', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const prefix = html.match(/src="(\/assets\/[0-9a-f]{16})\/js\/app\.js"/)[1];
    const atlas = await fetch(`${server.url}${prefix}/vendor/world-atlas/countries-50m.json`);
    assert.equal(atlas.status, 200);
    assert.equal(atlas.headers.get('content-type'), 'application/json');
    assert.equal((await atlas.json()).type, 'Topology');
    for (const p of [`${prefix}/js/app.js`, `${prefix}/vendor/leaflet/leaflet.js`, '/api/capitals', '/ogc', '/ogc/collections']) {
      const first = await fetch(`${server.url}${p}`);
      assert.equal(first.status, 200, p);
      const etag = first.headers.get('etag');
      assert.ok(etag, `${p} has an ETag`);
      const again = await fetch(`${server.url}${p}`, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304, p);
      assert.equal(again.headers.get('etag'), etag, p);
    }
    assert.equal((await fetch(`${server.url}/ogc/collections`)).headers.get('cache-control'), 'no-cache');
    assert.equal((await fetch(`${server.url}/api/capitals`)).headers.get('cache-control'), 'public, max-age=3600');
    // Only the distribution files the pages use, and only this version.
    for (const p of [`${prefix}/vendor/leaflet/leaflet-src.js`, `${prefix}/vendor/world-atlas/countries-10m.json`,
      '/assets/0000000000000000/js/app.js', '/assets/js/app.js', '/assets/dev/js/app.js']) {
      assert.equal((await fetch(`${server.url}${p}`)).status, 404, p);
    }
    const areas = await fetch(`${server.url}/api/control/areas?at=2016-12-31`);
    assert.equal(areas.status, 200);
    assert.ok((await areas.json()).features.length > 0, 'areas of control are computed');
  });
});

describe('--assets DIR', () => {
  test('serves the front end from that folder, revalidated on every load', async () => {
    const tiles = await tileServer();
    const dev = await startServer({
      command: 'serve',
      db: path.join(dir, 'frontline-demo.db'),
      args: ['--assets', path.join(ROOT, 'frontend'), '--tile-url', tiles.template],
    });
    try {
      const { page, assets } = await open(`${dev.url}/`);
      await page.locator('.leaflet-marker-icon').first().waitFor({ timeout: 30000 });
      await loaded(page);
      assert.deepEqual(page.errors, []);
      assert.ok(assets.length >= 20, `${assets.length} static files`);
      for (const r of assets) {
        assert.match(new URL(r.url()).pathname, /^\/assets\/dev\//);
        assert.equal(r.status(), 200, r.url());
        assert.equal((await r.allHeaders())['cache-control'], 'no-cache', r.url());
      }
      await page.close();
    } finally {
      await dev.stop();
      await tiles.close();
    }
  });
});
