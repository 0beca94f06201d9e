// The map on a phone (390×844) and on a desktop (1280×800), from the
// keyboard, and audited by axe-core: panels closed on phones, the date of
// control never covered, place labels never on clusters, every control
// reachable without a mouse, no serious or critical axe violation on the
// map, the embed, a place page, the English map and the phone. Screenshots
// of each in tests/artifacts/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { audit, freePort, launch, shot, startServer, watchErrors } from './helpers.mjs';
import { hostPage, tileServer } from './fixtures.mjs';
import { contrast, LAND, NON_TEXT, TEXT } from '../../frontend/js/contrast.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
let dir;
let tiles;
let A; // demo, local tiles
let B; // same database, tiles unreachable: the offline basemap with its labels
let browser;

const loaded = (page) => page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded', null, { timeout: 60000 });

async function newPage(viewport, opts = {}) {
  const page = await browser.newPage({ viewport, hasTouch: viewport.width < 700, ...opts });
  page.errors = watchErrors(page);
  return page;
}

/** Fail with the list of axe's serious and critical violations, if any. */
async function assertAudit(page, name) {
  const violations = await audit(page);
  console.log(`# axe ${name}: ${violations.length} serious or critical violations`);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
}

/** Fraction of the map's area that no control covers (sampled every 4 px). */
const freeMapFraction = (page) => page.evaluate(() => {
  const map = document.getElementById('map').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('#map .leaflet-control')].map((c) => c.getBoundingClientRect());
  let free = 0;
  let all = 0;
  for (let y = map.top + 2; y < map.bottom; y += 4) {
    for (let x = map.left + 2; x < map.right; x += 4) {
      all += 1;
      if (!boxes.some((b) => x >= b.left && x < b.right && y >= b.top && y < b.bottom)) free += 1;
    }
  }
  return free / all;
});

/** Whether an element is in the viewport and on top at its centre and corners. */
const uncovered = (page, selector) => page.evaluate((sel) => {
  const node = document.querySelector(sel);
  if (!node) return `${sel}: missing`;
  const r = node.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return `${sel}: not shown`;
  if (r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight) return `${sel}: outside the viewport ${JSON.stringify(r)}`;
  for (const [x, y] of [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2]]) {
    const top = document.elementFromPoint(x, y);
    if (!node.contains(top)) return `${sel}: covered at ${Math.round(x)},${Math.round(y)} by ${top?.className || top?.tagName}`;
  }
  return 'ok';
}, selector);

/** Visible place labels that overlap a cluster or marker: [label, what]. */
const labelOverlaps = (page) => page.evaluate(() => {
  const icons = [...document.querySelectorAll('.leaflet-marker-icon')].map((n) => [n.textContent.trim() || n.className, n.getBoundingClientRect()]);
  const out = [];
  for (const label of document.querySelectorAll('.fl-capital')) {
    if (getComputedStyle(label).visibility === 'hidden') continue;
    const r = label.getBoundingClientRect();
    for (const [what, b] of icons) {
      if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) out.push([label.textContent, what]);
    }
  }
  return out;
});

const visibleLabels = (page) => page.evaluate(() => [...document.querySelectorAll('.fl-capital')]
  .filter((n) => getComputedStyle(n).visibility !== 'hidden').map((n) => n.textContent));

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-layout-'));
  const db = path.join(dir, 'demo.db');
  tiles = await tileServer();
  A = await startServer({ command: 'demo', db, args: ['--tile-url', tiles.template] });
  const closed = await freePort();
  B = await startServer({ command: 'serve', db, args: ['--tile-url', `http://127.0.0.1:${closed}/{z}/{x}/{y}.png`] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await A?.stop();
  await B?.stop();
  await tiles?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('phone (390×844)', () => {
  test('panels closed, a compact header, the date of control uncovered, 44 px targets, no horizontal scroll', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${A.url}/`);
    await loaded(page);
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt);
    const header = await page.locator('.fl-header').boundingBox();
    assert.ok(header.height <= 56, `header ${header.height} px high`);
    assert.deepEqual(await page.locator('details.fl-sheet[open]').count(), 0, 'every panel starts closed');
    const free = await freeMapFraction(page);
    assert.ok(free >= 0.6, `${Math.round(free * 100)}% of the map is free of panels`);
    console.log(`# phone: ${Math.round(free * 100)}% of the map free of panels on load`);
    assert.equal(await uncovered(page, '.fl-play'), 'ok');
    assert.equal(await uncovered(page, '.fl-slider .fl-at'), 'ok');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    // Every year of the histogram's axis is whole, inside the chart.
    const clipped = await page.evaluate(() => {
      const chart = document.querySelector('.fl-axis').ownerSVGElement.getBoundingClientRect();
      return [...document.querySelectorAll('.fl-axis text')]
        .filter((t) => t.getBoundingClientRect().right > chart.right + 0.5).map((t) => t.textContent);
    });
    assert.deepEqual(clipped, [], 'year labels cut by the edge of the histogram');
    assert.ok(await page.locator('.fl-axis text').count() >= 3, 'the axis names some years');
    const small = await page.evaluate(() => [...document.querySelectorAll(
      '.fl-header a, .leaflet-control-zoom a, details.fl-panel > summary, .fl-embed-button, .fl-play',
    )].map((n) => [n.textContent.trim(), n.getBoundingClientRect()]).filter(([, r]) => r.width < 44 || r.height < 44)
      .map(([t, r]) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`));
    assert.deepEqual(small, [], 'tap targets of at least 44 px');
    await shot(page, 'phone-map');
    await assertAudit(page, 'phone /');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a panel opens as a sheet over the bottom of the map, one at a time, and Escape closes it', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${A.url}/`);
    await loaded(page);
    await page.locator('.fl-filters > summary').click();
    const sheet = await page.locator('.fl-filters').boundingBox();
    const map = await page.locator('#map').boundingBox();
    assert.ok(sheet.width >= PHONE.width - 1, 'full width');
    assert.ok(sheet.y > map.y + map.height * 0.3, `the top of the map stays usable (sheet at ${sheet.y})`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    // Nothing of the map (buttons, attribution) is drawn over the sheet.
    const over = await page.evaluate(() => {
      const sheet = document.querySelector('.fl-filters');
      const r = sheet.getBoundingClientRect();
      const out = [];
      for (let y = Math.max(r.top, 0) + 4; y < Math.min(r.bottom, window.innerHeight); y += 12) {
        for (let x = r.left + 4; x < r.right; x += 12) {
          // The map shows through the sheet's rounded top corners (12 px).
          if (y < r.top + 12 && (x < r.left + 12 || x > r.right - 12)) continue;
          const top = document.elementFromPoint(x, y);
          if (top && !sheet.contains(top)) out.push(`${Math.round(x)},${Math.round(y)}: ${top.className || top.tagName}`);
        }
      }
      return out.slice(0, 5);
    });
    assert.deepEqual(over, [], 'the sheet is on top');
    await shot(page, 'phone-filters');
    await assertAudit(page, 'phone filters');
    await page.locator('.fl-layers > summary').click();
    assert.equal(await page.locator('.fl-filters').evaluate((d) => d.open), false, 'one sheet at a time');
    assert.equal(await page.locator('.fl-layers').evaluate((d) => d.open), true);
    await page.locator('.fl-layers input').first().focus();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.fl-layers').evaluate((d) => d.open), false);
    assert.equal(await page.evaluate(() => document.activeElement.matches('.fl-layers > summary')), true, 'focus back on the button');
    await page.close();
  });

  test('the place labels of the offline basemap never sit on a cluster or marker', async () => {
    for (const [viewport, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
      for (const z of [6, 7, 8]) {
        const page = await newPage(viewport);
        await page.goto(`${B.url}/?lat=35.2&lng=37&z=${z}`);
        await page.waitForFunction(() => document.getElementById('map').dataset.basemap === 'offline', null, { timeout: 20000 });
        await loaded(page);
        await page.locator('.fl-capital').first().waitFor({ state: 'attached' });
        await page.waitForFunction(() => document.getElementById('map').dataset.labels === 'placed');
        await page.waitForTimeout(400);
        assert.deepEqual(await labelOverlaps(page), [], `${name} z${z}`);
        const shown = await visibleLabels(page);
        assert.ok(shown.length >= (z === 8 ? 1 : 3), `${name} z${z}: labels shown: ${shown}`);
        const attribution = await page.locator('.leaflet-control-attribution').textContent();
        assert.ok(!attribution.includes('OpenStreetMap'), `tiles that did not load are not credited: ${attribution}`);
        if (z === 7) await shot(page, `labels-${name}`);
        await page.close();
      }
    }
  });

  test('the embed stays usable in a 360×300 iframe', async () => {
    const host = await hostPage(`<!doctype html><html lang="fr"><title>Article</title><main><h1>Un article</h1>
      <iframe id="map" src="${A.url}/embed?controls=zoom,legend,timeline" width="360" height="300" title="Carte"></iframe></main></html>`);
    try {
      const page = await newPage({ width: 400, height: 420 });
      await page.goto(host.url);
      const frame = page.frameLocator('#map');
      await frame.locator('.leaflet-marker-icon').first().waitFor({ timeout: 30000 });
      const f = page.frames().find((x) => x.url().includes('/embed'));
      await f.waitForFunction(() => document.getElementById('map').dataset.state === 'loaded');
      assert.ok(await f.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
      const mapBox = await frame.locator('#map').boundingBox();
      assert.ok(mapBox.height >= 200, `the map keeps ${mapBox.height} px`);
      assert.equal(await f.evaluate(() => document.querySelector('.fl-legend-details').open), false, 'the legend starts closed');
      assert.equal(await uncovered(f, '.fl-play'), 'ok');
      assert.equal(await uncovered(f, '.leaflet-control-zoom-in'), 'ok');
      // The link to the full map is short here, and still named in full.
      const full = await frame.locator('.fl-fulllink a').boundingBox();
      assert.ok(full.width <= 110, `the full-map link is ${Math.round(full.width)} px wide`);
      assert.equal(await frame.locator('.fl-fulllink a').getAttribute('aria-label'), 'Ouvrir la carte complète');
      await shot(page, 'embed-360x300');
      await page.close();
    } finally {
      await host.close();
    }
  });
});

describe('desktop (1280×800)', () => {
  test('the date of control and its play button are uncovered', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${A.url}/`);
    await loaded(page);
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt);
    assert.equal(await uncovered(page, '.fl-play'), 'ok');
    assert.equal(await uncovered(page, '.fl-slider .fl-at'), 'ok');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await shot(page, 'desktop-map');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('accessibility audit (axe-core)', () => {
  test('no serious or critical violation on /, /embed, a place page, /?lang=en and the phone', async () => {
    const { features } = await (await fetch(`${A.url}/api/control?at=2025-12-31`)).json();
    const place = `/places/${encodeURIComponent(features[0].properties.place_id)}`;
    const pages = [
      ['map', '/', DESKTOP], ['embed', '/embed', { width: 360, height: 300 }], ['place', place, DESKTOP],
      ['map-en', '/?lang=en', DESKTOP], ['phone', '/', PHONE], ['place-phone', `${place}?lang=en`, PHONE],
    ];
    for (const [name, url, viewport] of pages) {
      const page = await newPage(viewport);
      await page.goto(`${A.url}${url}`);
      if (url.startsWith('/places/')) await page.waitForFunction(() => document.getElementById('map').dataset.place === 'drawn');
      else {
        // Audit the whole map: the areas, points and the legend's sides drawn.
        await loaded(page);
        await page.waitForFunction(() => document.getElementById('map').dataset.controlAt);
      }
      await page.waitForTimeout(300);
      await shot(page, `axe-${name}`);
      await assertAudit(page, name);
      await page.close();
    }
  });
});

describe('colour contrast (WCAG AA)', () => {
  test('the edges of areas, control points and the border stand out from the land at 3:1, labels at 4.5:1', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${B.url}/?lat=35.2&lng=38&z=7`);
    await page.waitForFunction(() => document.getElementById('map').dataset.basemap === 'offline', null, { timeout: 20000 });
    await loaded(page);
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt && document.querySelector('path.fl-area'));
    await page.waitForFunction(() => document.getElementById('map').dataset.labels === 'placed');
    const drawn = await page.evaluate(() => {
      const strokes = (sel) => [...document.querySelectorAll(sel)].map((n) => {
        const cs = getComputedStyle(n);
        return { sel, stroke: cs.stroke, width: parseFloat(cs.strokeWidth), opacity: Number(cs.strokeOpacity) };
      });
      const land = document.querySelector('path.fl-country.fl-focus');
      return {
        land: land && getComputedStyle(land).fill,
        lines: [...strokes('path.fl-area'), ...strokes('path.fl-control-point:not(.fl-stale)'), ...strokes('path.fl-country.fl-focus')],
        labels: [...document.querySelectorAll('.fl-capital')].map((n) => ({ text: n.textContent, colour: getComputedStyle(n).color, shadow: getComputedStyle(n).textShadow })),
      };
    });
    assert.equal(contrast(drawn.land, LAND), 1, `the offline land is ${drawn.land}`);
    const kinds = new Set(drawn.lines.map((l) => l.sel));
    assert.ok(kinds.has('path.fl-area') && kinds.has('path.fl-control-point:not(.fl-stale)'), [...kinds].join(', '));
    const weak = drawn.lines.filter((l) => !(l.width >= 1 && l.opacity === 1 && contrast(l.stroke, LAND) >= NON_TEXT))
      .map((l) => `${l.sel} ${l.stroke} ×${l.width} α${l.opacity}: ${contrast(l.stroke, LAND).toFixed(2)}`);
    assert.deepEqual(weak, [], 'edges below 3:1 on the land');
    console.log(`# contrast: ${drawn.lines.length} edges, the weakest ${Math.min(...drawn.lines.map((l) => contrast(l.stroke, LAND))).toFixed(2)}:1 on the land`);
    assert.ok(drawn.labels.length >= 3);
    for (const l of drawn.labels) {
      // The label sits on its white halo, whatever is under it.
      assert.match(l.shadow, /rgb\(255, 255, 255\)/, l.text);
      assert.ok(contrast(l.colour, '#ffffff') >= TEXT, `${l.text}: ${l.colour}`);
      assert.ok(contrast(l.colour, LAND) >= TEXT, `${l.text}: ${l.colour}`);
    }
    await shot(page, 'contrast-areas');
    await page.close();
  });
});

describe('keyboard', () => {
  test('markers are named buttons: Enter opens the popup with the focus in it, Escape gives it back', async () => {
    const res = await fetch(`${A.url}/api/events/points?type=strike&limit=1`);
    const { rows, columns } = await res.json();
    const ev = Object.fromEntries(columns.map((c, i) => [c, rows[0][i]]));
    const page = await newPage(DESKTOP);
    await page.goto(`${A.url}/?lat=${ev.lat}&lng=${ev.lon}&z=16&layers=strike`);
    await loaded(page);
    // Tab through the page until a marker has the focus.
    let name = null;
    for (let i = 0; i < 80 && !name; i += 1) {
      await page.keyboard.press('Tab');
      name = await page.evaluate(() => (document.activeElement.matches('.leaflet-marker-icon') ? document.activeElement.getAttribute('aria-label') : null));
    }
    assert.ok(name, 'a marker takes the focus');
    assert.match(name, /Frappe/);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focus is visible');
    await page.keyboard.press('Enter');
    await page.locator('.leaflet-popup .fl-popup[data-event]').waitFor();
    await page.waitForFunction(() => document.activeElement.closest('.leaflet-popup'));
    assert.equal(await page.locator('.leaflet-popup-close-button').getAttribute('aria-label'), 'Fermer');
    await shot(page, 'keyboard-popup');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('.leaflet-popup'));
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), name, 'focus back on the marker');
    await page.close();
  });

  test('the event list, the histogram, the date fields and the embed dialog work without a mouse', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${A.url}/?lang=en`);
    await loaded(page);
    // The list of the events in view.
    await page.locator('.fl-events-list > summary').focus();
    await page.keyboard.press('Enter');
    const first = page.locator('.fl-list-item').first();
    await first.waitFor();
    const id = await first.getAttribute('data-event');
    await first.focus();
    await page.keyboard.press('Enter');
    await page.locator(`.leaflet-popup .fl-popup[data-event="${id}"]`).waitFor();
    await page.waitForFunction(() => document.activeElement.closest('.leaflet-popup'));
    await page.keyboard.press('Escape');
    // The histogram: arrows brush a period, Escape clears it.
    await page.locator('svg.fl-histogram').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('from'));
    const from = new URL(page.url()).searchParams.get('from');
    assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(await page.inputValue('input[name=from]'), `${from.slice(8)}/${from.slice(5, 7)}/${from.slice(0, 4)}`);
    assert.match(await page.locator('svg.fl-histogram').getAttribute('aria-valuetext'), /–/);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.get('from'));
    // Date fields follow the page's language, not the browser's.
    assert.equal(await page.getAttribute('input[name=to]', 'placeholder'), 'dd/mm/yyyy');
    await page.locator('input[name=to]').fill('31/12/2016');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('to') === '2016-12-31');
    await page.locator('input[name=to]').fill('31/02/2016');
    await page.locator('input[name=to]').press('Tab');
    assert.equal(await page.getAttribute('input[name=to]', 'aria-invalid'), 'true');
    // The slider: arrows move a day, Page Down a month.
    await page.locator('.fl-slider input[type=range]').focus();
    const before = await page.locator('.fl-slider .fl-at').textContent();
    await page.keyboard.press('PageDown');
    await page.waitForFunction((b) => document.querySelector('.fl-slider .fl-at').textContent !== b, before);
    // The embed dialog opens and closes from the keyboard, the focus back on its button.
    await page.locator('.fl-embed-button').focus();
    await page.keyboard.press('Enter');
    await page.locator('dialog.fl-embed-dialog[open]').waitFor();
    await assertAudit(page, 'embed dialog');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog.fl-embed-dialog[open]'));
    assert.ok(await page.evaluate(() => document.activeElement.matches('.fl-embed-button')));
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('place page', () => {
  test('labels in the page language, a readable control history and bar, on a phone and a desktop', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${A.url}/places/aleppo`);
    await page.waitForFunction(() => document.getElementById('map').dataset.place === 'drawn');
    const meta = await page.locator('.fl-place > .fl-meta').textContent();
    assert.match(meta, /^ville · gouvernorat : Alep/);
    const history = await page.locator('.fl-control-history').textContent();
    assert.match(history, /Pris par : Gouvernement syrien · auparavant : rebelles/);
    assert.match(history, /Pris par : HTS/);
    assert.ok(!/Syrian government|\brebels\b/.test(history), history);
    // Every period of the bar is wide enough to read, the last one included.
    const widths = await page.locator('.fl-bar-period').evaluateAll((s) => s.map((n) => n.getBoundingClientRect().width));
    assert.ok(widths.length >= 2 && widths.every((w) => w >= 40), `${widths}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    // The history's text is not squeezed into a narrow column.
    const taken = await page.locator('.fl-taken').first().boundingBox();
    assert.ok(taken.width > PHONE.width * 0.6, `history text ${taken.width} px wide`);
    assert.ok(await page.locator('.fl-place-map .leaflet-marker-icon[aria-label]').count() >= 1, 'markers are named');
    await shot(page, 'place-phone');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${A.url}/places/aleppo?lang=en`);
    await page.waitForFunction(() => document.getElementById('map').dataset.place === 'drawn');
    assert.match(await page.locator('.fl-place > .fl-meta').textContent(), /^city · Aleppo governorate/);
    assert.match(await page.locator('.fl-control-history').textContent(), /Taken by: Syrian government · previously: rebels/);
    assert.ok(await page.locator('path.fl-outline').count() >= 1, "Syria's border is drawn");
    await shot(page, 'place-desktop');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
