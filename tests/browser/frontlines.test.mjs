// Front lines, smooth areas, the legend's sides, the image downloads of
// the embed dialog, link previews and the printed place page, in Debian's
// Chromium against a real demo server.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS, freePort, launch, shot, startServer, watchErrors } from './helpers.mjs';

let dir;
let server;
let browser;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-fronts-'));
  const closed = await freePort();
  server = await startServer({
    command: 'demo', db: path.join(dir, 'demo.db'), args: ['--tile-url', `http://127.0.0.1:${closed}/{z}/{x}/{y}.png`],
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(opts = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, acceptDownloads: true, ...opts });
  page.errors = watchErrors(page);
  return page;
}

/** Share of a ring's longer edges (≥ 4 px) that are horizontal or vertical, for each ring of an SVG path. */
function axisAlignedShares(d) {
  return d.split(/[Mm]/).filter((r) => r.trim()).map((ring) => {
    const pts = ring.replace(/[zZ]/g, '').split(/L/).map((p) => p.trim().split(/[\s,]+/).map(Number)).filter((p) => p.length === 2);
    let edges = 0;
    let flat = 0;
    for (let k = 1; k < pts.length; k += 1) {
      const dx = pts[k][0] - pts[k - 1][0];
      const dy = pts[k][1] - pts[k - 1][1];
      if (Math.hypot(dx, dy) < 4) continue;
      edges += 1;
      if (dx === 0 || dy === 0) flat += 1;
    }
    return edges >= 4 ? flat / edges : 0;
  });
}

const DATE = '2016-12-31';

describe('front lines and smooth areas', () => {
  test('areas are polygons without staircases, front lines are drawn over them, the sides are in the legend', async () => {
    // A short window: the legend starts folded, the sides stay visible.
    const page = await newPage({ viewport: { width: 1280, height: 700 } });
    await page.goto(`${server.url}/?at=${DATE}`);
    await page.waitForFunction((d) => document.getElementById('map').dataset.controlAt === d, DATE, { timeout: 60000 });
    await page.waitForFunction(() => Number(document.getElementById('map').dataset.fronts) > 0);
    const fronts = await page.locator('path.fl-front').count();
    assert.ok(fronts > 0, 'front lines are drawn');
    assert.equal(await page.locator('path.fl-front-casing').count(), fronts);
    const paths = await page.evaluate(() => [...document.querySelectorAll('path.fl-area')].map((p) => p.getAttribute('d')));
    assert.ok(paths.length > 3, `${paths.length} areas`);
    const shares = paths.flatMap(axisAlignedShares);
    assert.ok(shares.length > 5, `${shares.length} rings`);
    for (const s of shares) assert.ok(s <= 0.5, `a ring has ${Math.round(s * 100)}% of its edges axis-aligned`);
    // The front-line pane is above the areas'.
    const z = await page.evaluate(() => [document.querySelector('.leaflet-fl-fronts-pane').style.zIndex, document.querySelector('.leaflet-fl-areas-pane').style.zIndex].map(Number));
    assert.ok(z[0] > z[1]);
    // The legend is folded, yet shows the sides and the front line.
    assert.equal(await page.locator('.fl-legend-details').evaluate((d) => d.open), false);
    assert.ok(await page.locator('.fl-legend-sides').isVisible());
    assert.ok(await page.locator('.fl-legend-actors li[data-actor]').count() >= 2);
    assert.ok(await page.locator('.fl-legend-front').isVisible());
    await shot(page, 'front-lines');
    // Without the control layers, the sides leave the legend.
    await page.goto(`${server.url}/?at=${DATE}&layers=strike,clash`);
    await page.waitForFunction(() => document.getElementById('map').dataset.state === 'loaded', null, { timeout: 60000 });
    assert.equal(await page.locator('.fl-legend-sides').isVisible(), false);
    assert.equal(await page.locator('path.fl-front').count(), 0);
    await page.close();
  });

  test('the embed dialog downloads the view as PNG and SVG', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/?lat=35.2&lng=38.0&z=7&at=${DATE}`);
    await page.waitForFunction((d) => document.getElementById('map').dataset.controlAt === d, DATE, { timeout: 60000 });
    await page.locator('.fl-embed-button').click();
    const dialog = page.locator('dialog.fl-embed-dialog');
    await dialog.waitFor();
    assert.match(await page.locator('.fl-embed-download').textContent(), /Télécharger l'image/);
    const href = await page.locator('.fl-download-png').getAttribute('href');
    assert.match(href, /^\/static\.png\?lat=35\.2000&lng=38\.0000&z=7&at=2016-12-31&w=800&h=500$/);
    await shot(page, 'download-dialog');

    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('.fl-download-png').click()]);
    assert.equal(png.suggestedFilename(), 'frontline.png');
    const file = await png.path();
    const bytes = readFileSync(file);
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [800, 500]);
    copyFileSync(file, path.join(ARTIFACTS, 'static-download.png'));

    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('.fl-download-svg').click()]);
    assert.equal(svg.suggestedFilename(), 'frontline.svg');
    const text = readFileSync(await svg.path(), 'utf8');
    assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="500"/);
    assert.ok(text.includes('class="front"'), 'the SVG has the front lines');
    assert.ok(new DOMParserCheck(text).ok, 'well-formed');
    await page.close();
  });

  test('pages carry link previews; a place page prints its static map, history and events', async () => {
    for (const p of ['/', '/embed?lat=35&lng=38&z=7', '/places/homs']) {
      const html = await (await fetch(`${server.url}${p}`)).text();
      const image = html.match(/<meta property="og:image" content="([^"]+)"/)?.[1]?.replaceAll('&#38;', '&');
      assert.ok(image, `og:image on ${p}`);
      assert.match(html, /<meta name="twitter:card" content="summary_large_image">/);
      const r = await fetch(image);
      assert.equal(r.status, 200, image);
      assert.equal(r.headers.get('content-type'), 'image/png');
    }
    const page = await newPage({ viewport: { width: 900, height: 1200 } });
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${server.url}/places/homs`);
    const img = page.locator('img.fl-print-map');
    await img.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('img.fl-print-map').naturalWidth > 0, null, { timeout: 30000 });
    assert.equal(await img.evaluate((i) => i.naturalWidth), 1800, 'printed at twice the pixels');
    assert.equal(await page.locator('#map').isVisible(), false);
    assert.equal(await page.locator('.fl-header nav').isVisible(), false);
    assert.ok(await page.locator('.fl-control-history li').count() >= 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'place-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10000);
    await page.close();
  });
});

/** A small well-formedness check of an SVG document (balanced tags). */
class DOMParserCheck {
  constructor(text) {
    const stack = [];
    let ok = true;
    for (const m of text.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (m[3] === '/') continue;
      if (m[1] === '/') {
        if (stack.pop() !== m[2]) ok = false;
      } else stack.push(m[2]);
    }
    this.ok = ok && stack.length === 0;
  }
}
