// The map in a real browser (Debian's Chromium through playwright-core)
// against real `frontline` servers on a demo database built for the run.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, launch, ROOT, shot, startServer, watchErrors } from './helpers.mjs';
import { hostPage, tileServer } from './fixtures.mjs';

const TOKEN = 'browser-test-token';
let dir;
let tiles;
let A; // the demo server, with working (local) tiles
let B; // the same database, tiles unreachable, boundaries, a public URL
let browser;

const loaded = (page) => page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded', null, { timeout: 60000 });
const mapData = (page) => page.evaluate(() => ({ ...document.getElementById('map').dataset }));

async function newPage(opts = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, ...opts });
  page.errors = watchErrors(page);
  return page;
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-browser-'));
  const db = path.join(dir, 'demo.db');
  tiles = await tileServer();
  A = await startServer({ command: 'demo', db, args: ['--tile-url', tiles.template], env: { FRONTLINE_TOKEN: TOKEN } });
  const closed = await freePort();
  B = await startServer({
    command: 'serve',
    db,
    args: ['--tile-url', `http://127.0.0.1:${closed}/{z}/{x}/{y}.png`,
      '--boundaries', path.join(ROOT, 'tests/browser/fixtures/boundaries.geojson'),
      '--public-url', 'https://maps.example.org'],
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await A?.stop();
  await B?.stop();
  await tiles?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('map page', () => {
  test('shows markers over the tiles', async () => {
    const page = await newPage();
    const t0 = Date.now();
    await page.goto(`${A.url}/`);
    await page.locator('.leaflet-marker-icon').first().waitFor({ timeout: 30000 });
    const firstMarkersMs = Date.now() - t0;
    await loaded(page);
    const markers = await page.locator('.leaflet-marker-icon').count();
    assert.ok(markers > 5, `${markers} markers`);
    const d = await mapData(page);
    assert.ok(Number(d.loaded) >= 120, `demo events loaded: ${d.loaded}`);
    assert.notEqual(d.basemap, 'offline');
    assert.ok(tiles.requests > 0, 'tiles were requested from the configured server');
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt);
    await shot(page, 'map');
    assert.deepEqual(page.errors, []);
    console.log(`# first markers after ${firstMarkersMs} ms`);
    await page.close();
  });

  test('clicking a marker shows its evidence', async () => {
    const res = await fetch(`${A.url}/api/events/points?type=strike&limit=1`);
    const { rows, columns } = await res.json();
    const ev = Object.fromEntries(columns.map((c, i) => [c, rows[0][i]]));
    const page = await newPage();
    await page.goto(`${A.url}/?lat=${ev.lat}&lng=${ev.lon}&z=16&layers=strike`);
    await loaded(page);
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const popup = page.locator('.leaflet-popup .fl-popup[data-event]');
    await popup.waitFor();
    const id = Number(await popup.getAttribute('data-event'));
    const detail = await (await fetch(`${A.url}/api/events/${id}`)).json();
    assert.equal(await popup.locator('.fl-evidence').textContent(), detail.properties.evidence);
    assert.match(page.url(), new RegExp(`event=${id}`));
    assert.equal(await popup.locator('a[href^="/places/"]').first().getAttribute('href'), `/places/${encodeURIComponent(detail.properties.place_id)}`);
    await shot(page, 'popup');
    await page.close();
  });

  test('?event=ID opens the map on the event with its popup', async () => {
    const { features } = await (await fetch(`${A.url}/api/events?type=control_change&limit=1`)).json();
    const id = features[0].id;
    const page = await newPage();
    const fetched = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === `/api/events/${id}`) fetched.push(r.url()); });
    await page.goto(`${A.url}/?event=${id}`);
    await page.locator(`.leaflet-popup .fl-popup[data-event="${id}"] .fl-evidence`).waitFor();
    assert.equal(fetched.length, 1, 'the event is fetched once');
    const [lon, lat] = features[0].geometry.coordinates;
    const c = await page.evaluate(() => document.getElementById('map').dataset);
    assert.equal(c.popup, String(id));
    const url = new URL(page.url());
    assert.ok(Math.abs(Number(url.searchParams.get('lat')) - lat) < 0.5, page.url());
    assert.ok(Math.abs(Number(url.searchParams.get('lng')) - lon) < 0.5, page.url());
    await page.close();
  });

  test('filters change what is shown and live in the URL', async () => {
    const page = await newPage();
    await page.goto(`${A.url}/`);
    await loaded(page);
    const all = Number((await mapData(page)).shown);
    assert.ok(all > 0);
    await page.fill('input[name=from]', '2016-01-01');
    await page.fill('input[name=to]', '2016-12-31');
    await page.waitForFunction((n) => Number(document.getElementById('map').dataset.shown) < n, all);
    const in2016 = Number((await mapData(page)).shown);
    assert.ok(in2016 > 0 && in2016 < all, `${in2016} of ${all}`);
    assert.match(page.url(), /from=2016-01-01/);
    assert.match(page.url(), /to=2016-12-31/);
    await page.locator('.fl-layers input[name=strike]').uncheck();
    await page.waitForFunction((n) => Number(document.getElementById('map').dataset.shown) < n, in2016);
    assert.match(page.url(), /layers=/);
    assert.doesNotMatch(new URL(page.url()).searchParams.get('layers'), /strike/);
    await shot(page, 'filtered');
    // The same URL reopens the same view.
    const again = await newPage();
    await again.goto(page.url());
    await loaded(again);
    assert.equal((await mapData(again)).shown, (await mapData(page)).shown);
    // Date fields show dates as the page's language writes them.
    assert.equal(await again.inputValue('input[name=from]'), '01/01/2016');
    await again.close();
    await page.close();
  });

  test('the reliability filter keeps the surer events and lives in the URL', async () => {
    const page = await newPage();
    await page.goto(`${A.url}/`);
    await loaded(page);
    const all = Number((await mapData(page)).shown);
    await page.selectOption('select[name=conf]', '0.8');
    await page.waitForFunction((n) => Number(document.getElementById('map').dataset.shown) < n, all);
    const sure = Number((await mapData(page)).shown);
    assert.ok(sure > 0 && sure < all, `${sure} of ${all}`);
    assert.match(page.url(), /conf=0\.8/);
    // As many as the API's own filter finds.
    const api = await page.evaluate(async () => {
      const r = await fetch('/api/events/points?min_confidence=0.8&limit=50000');
      return (await r.json()).rows.length;
    });
    assert.equal(sure, api);
    await shot(page, 'reliability');
    await page.close();
  });

  test('brushing the timeline sets the date range', async () => {
    const page = await newPage();
    await page.goto(`${A.url}/`);
    await loaded(page);
    const all = Number((await mapData(page)).shown);
    const svg = await page.locator('svg.fl-histogram').boundingBox();
    await page.mouse.move(svg.x + svg.width * 0.3, svg.y + svg.height / 2);
    await page.mouse.down();
    await page.mouse.move(svg.x + svg.width * 0.45, svg.y + svg.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((n) => Number(document.getElementById('map').dataset.shown) < n, all);
    const url = new URL(page.url());
    assert.match(url.searchParams.get('from') || '', /^\d{4}-\d{2}-\d{2}$/);
    const from = url.searchParams.get('from');
    assert.equal(await page.inputValue('input[name=from]'), `${from.slice(8)}/${from.slice(5, 7)}/${from.slice(0, 4)}`);
    await shot(page, 'timeline-brush');
    await page.close();
  });

  test('the time slider changes the control colours', async () => {
    const page = await newPage();
    await page.goto(`${A.url}/?layers=control,areas`);
    await loaded(page);
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt);
    const colours = () => page.evaluate(() => ({
      points: [...document.querySelectorAll('path.fl-control-point')].map((p) => p.getAttribute('fill')).sort(),
      areas: [...document.querySelectorAll('path.fl-area')].map((p) => `${p.getAttribute('fill')}/${p.getAttribute('fill-opacity')}`).sort(),
    }));
    const late = await colours();
    await shot(page, 'control-late');
    const setDate = (iso) => page.evaluate((d) => {
      const input = document.querySelector('.fl-slider input[type=range]');
      input.value = String(Math.floor(Date.parse(`${d}T00:00:00Z`) / 86400000));
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    }, iso);
    await setDate('2016-06-01');
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt === '2016-06-01');
    const early = await colours();
    await shot(page, 'control-2016');
    assert.notDeepEqual(early, late);
    assert.ok(late.areas.length > 0, 'areas are drawn');
    assert.match(page.url(), /at=2016-06-01/);
    // Play moves the date forward.
    await page.locator('.fl-play').click();
    await page.waitForFunction(() => document.getElementById('map').dataset.controlAt > '2016-06-01', null, { timeout: 10000 });
    await page.locator('.fl-play').click();
    await page.close();
  });

  test('English with ?lang=en, French by default, with attributions', async () => {
    const page = await newPage();
    await page.goto(`${A.url}/?lang=en`);
    await loaded(page);
    assert.equal(await page.locator('.fl-layers summary').textContent(), 'Layers');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const attribution = await page.locator('.leaflet-control-attribution').textContent();
    for (const name of ['OpenStreetMap', 'GeoNames', 'Natural Earth']) assert.ok(attribution.includes(name), attribution);
    await page.goto(`${A.url}/`);
    assert.equal(await page.locator('.fl-layers summary').textContent(), 'Couches');
    await page.close();
  });
});

describe('vocabulary', () => {
  const vocabulary = async () => (await fetch(`${A.url}/api/vocabulary`)).json();
  const texts = (page, selector) => page.locator(selector).allTextContents().then((l) => l.map((x) => x.trim()));

  test('the legend, filters and layers show the labels of /api/vocabulary, in French and in English', async () => {
    const v = await vocabulary();
    const strike = v.types.find((x) => x.key === 'strike');
    const air = v.subtypes.find((x) => x.key === 'air');
    assert.equal(strike.label_fr_plural, 'Frappes');
    for (const [lang, query] of [['fr', ''], ['en', '?lang=en']]) {
      const page = await newPage();
      await page.goto(`${A.url}/${query}`);
      await loaded(page);
      assert.equal((await mapData(page)).vocabulary, 'loaded');
      const plural = (x) => x[`label_${lang}_plural`];
      // Legend: every type under its plural label, the subtypes with their own icons under it.
      const legendTypes = await texts(page, '.fl-legend-types > li');
      assert.equal(legendTypes.length, v.types.length);
      for (const type of v.types) {
        const item = page.locator(`.fl-legend-types > li[data-type="${type.key}"]`);
        assert.ok((await item.textContent()).startsWith(plural(type)), `${type.key}: ${await item.textContent()}`);
        assert.equal(await item.locator(':scope > .fl-legend-icon svg').count(), 1);
      }
      assert.equal((await page.locator('.fl-legend-subtypes li[data-subtype="air"]').textContent()).trim(), plural(air));
      // Filters: the subtypes under their type's plural label.
      const groups = await texts(page, '.fl-filters .fl-subtype-group');
      assert.ok(groups.includes(plural(strike)), `${groups}`);
      assert.ok(groups.includes(lang === 'fr' ? 'Frappes' : 'Strikes'), `${groups}`);
      const subLabel = (await page.locator('.fl-filters input[name=sub-air]').locator('xpath=..').textContent()).trim();
      assert.equal(subLabel, plural(air));
      // Layers: one per type, with its plural label.
      for (const type of v.types) {
        assert.equal((await page.locator(`.fl-layers label[data-layer="${type.key}"]`).textContent()).trim(), plural(type));
      }
      // The sides in the legend use the vocabulary's labels.
      await page.waitForFunction(() => document.querySelector('.fl-legend-actors li'));
      for (const li of await page.locator('.fl-legend-actors li').all()) {
        const name = await li.getAttribute('data-actor');
        const known = v.actors.find((a) => a.name === name);
        if (known) assert.equal((await li.textContent()).trim(), known[`label_${lang}`]);
      }
      await shot(page.locator('.fl-legend'), `legend-${lang}`);
      await shot(page.locator('.fl-filters'), `filters-${lang}`);
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });

  test("a popup names the event's actor with its vocabulary label", async () => {
    const v = await vocabulary();
    const { features } = await (await fetch(`${A.url}/api/events?limit=500`)).json();
    const labelled = (name) => v.actors.find((a) => a.name === name && a.label_fr !== a.name);
    const f = features.find((x) => labelled(x.properties.actor));
    assert.ok(f, 'an event whose actor has a French label of its own');
    const actor = labelled(f.properties.actor);
    for (const [lang, query] of [['fr', ''], ['en', '&lang=en']]) {
      const page = await newPage();
      await page.goto(`${A.url}/?event=${f.id}${query}`);
      const popup = page.locator(`.leaflet-popup .fl-popup[data-event="${f.id}"]`);
      await popup.locator('.fl-evidence').waitFor();
      const values = await texts(page, '.fl-popup dd');
      assert.ok(values.includes(actor[`label_${lang}`]), `${actor[`label_${lang}`]} in ${values}`);
      const type = v.types.find((x) => x.key === f.properties.type);
      assert.ok((await popup.locator('h3').textContent()).toLowerCase().includes(type[`label_${lang}`].toLowerCase()));
      if (lang === 'fr') await shot(page, 'popup-vocabulary');
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });

  test('without /api/vocabulary the map still works, with raw keys and an error in the console', async () => {
    const page = await newPage();
    await page.route('**/api/vocabulary', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"detail": "down"}' }));
    await page.goto(`${A.url}/`);
    await loaded(page);
    const d = await mapData(page);
    assert.equal(d.vocabulary, 'error');
    assert.ok(Number(d.shown) > 0 && d.shown === d.loaded, `every event is shown: ${d.shown} of ${d.loaded}`);
    assert.ok(await page.locator('.leaflet-marker-icon').count() > 5);
    assert.ok(page.errors.some((e) => e.includes('vocabulary')), page.errors.join('\n'));
    assert.deepEqual(page.errors.filter((e) => e.startsWith('pageerror')), []);
    // Actors are their raw names.
    await page.waitForFunction(() => document.querySelector('.fl-legend-actors li'));
    for (const li of await page.locator('.fl-legend-actors li').all()) {
      assert.equal((await li.textContent()).trim(), await li.getAttribute('data-actor'));
    }
    await page.close();
  });
});

describe('untrusted text', () => {
  test('an article with <script> and <img onerror> shows as text and runs nothing', async () => {
    const text = 'Idleb, 3 mars 2019. Une frappe aérienne russe a tué cinq civils à Maarat al-Noomane '
      + '<img src=x onerror="window.__pwned=2"> <script>window.__pwned=3</script> selon l\'OSDH.';
    const res = await fetch(`${A.url}/api/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '<script>window.__pwned=1</script>Frappe', source: '<b>Test</b>', url: 'https://example.org/a', published: '2019-03-03', text }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await res.json();
    const ev = body.events.features[0];
    assert.ok(ev, 'the article gives an event');
    const page = await newPage();
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
    await page.goto(`${A.url}/?event=${ev.id}`);
    const evidence = page.locator(`.fl-popup[data-event="${ev.id}"] .fl-evidence`);
    await evidence.waitFor();
    assert.ok((await evidence.textContent()).includes('<script>window.__pwned=3</script>'));
    assert.ok((await page.locator('.fl-sources').textContent()).includes('<script>window.__pwned=1</script>Frappe'));
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.leaflet-popup img').count(), 0);
    await shot(page, 'xss-popup');
    await page.goto(`${A.url}/places/${encodeURIComponent(ev.properties.place_id)}`);
    await page.locator('.fl-events').waitFor();
    assert.ok((await page.locator('.fl-events').textContent()).includes('<img src=x onerror="window.__pwned=2">'));
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.fl-events img').count(), 0);
    assert.equal(dialogs, 0);
    await shot(page, 'xss-place');
    await page.close();
  });
});

describe('embedding', () => {
  test('the embed page works in an iframe of another origin; the map page does not', async () => {
    const host = await hostPage(`<!doctype html><title>Un article</title><h1>Un article qui intègre la carte</h1>
      <iframe id="ok" src="${A.url}/embed?lat=35&lng=38.5&z=6&controls=zoom,legend" width="760" height="420" title="Carte" loading="lazy" allowfullscreen></iframe>
      <iframe id="no" src="${A.url}/?lat=35&lng=38.5&z=6" width="300" height="200" title="Interdit"></iframe>`);
    try {
      const page = await newPage();
      await page.goto(host.url);
      const frame = page.frameLocator('#ok');
      await frame.locator('.leaflet-marker-icon').first().waitFor({ timeout: 30000 });
      assert.equal(await frame.locator('.fl-header').count(), 0, 'minimal chrome');
      assert.equal(await frame.locator('.fl-filters').count(), 0, 'no filters unless asked');
      assert.equal(await frame.locator('.fl-legend').count(), 1);
      assert.equal(await frame.locator('.fl-embed-button').count(), 0);
      await page.waitForTimeout(500);
      const blocked = page.frames().find((f) => f.name() === '' && f !== page.mainFrame() && !f.url().includes('/embed'));
      const mapInBlocked = blocked ? await blocked.evaluate(() => !!document.getElementById('map')).catch(() => false) : false;
      assert.equal(mapInBlocked, false, 'the map page refuses to be framed');
      await shot(page, 'embed-iframe');
      await page.close();
    } finally {
      await host.close();
    }
  });

  test('the Intégrer dialog gives absolute iframe code for the current view', async () => {
    const page = await newPage();
    await page.goto(`${B.url}/?lat=36.2&lng=37.1&z=9&from=2016-01-01`);
    await page.locator('.fl-embed-button').click();
    const code = page.locator('textarea.fl-embed-code');
    await code.waitFor();
    let html = await code.inputValue();
    assert.match(html, /^<iframe src="https:\/\/maps\.example\.org\/embed\?lat=36\.2000&amp;lng=37\.1000&amp;z=9&amp;from=2016-01-01&amp;(at=[\d-]+&amp;)?controls=zoom,legend"/);
    for (const part of ['allowfullscreen', 'loading="lazy"', 'title="Frontline', 'width="800"', 'height="500"']) assert.ok(html.includes(part), `${part} in ${html}`);
    assert.ok(!html.includes('wheel=1'), 'scroll-wheel zoom is off by default');
    await page.fill('input[name=width]', '640');
    await page.locator('input[name=wheel]').check();
    await page.locator('input[name=ctl-timeline]').check();
    html = await code.inputValue();
    assert.ok(html.includes('width="640"'), html);
    assert.ok(html.includes('wheel=1') && html.includes('controls=zoom,timeline,legend'), html);
    await shot(page, 'embed-dialog');
    await page.close();
  });

  test('oEmbed and security headers', async () => {
    const o = await (await fetch(`${A.url}/oembed?format=json&url=${encodeURIComponent(`${A.url}/?lat=35&lng=38&z=7`)}`)).json();
    assert.equal(o.type, 'rich');
    assert.equal(o.version, '1.0');
    assert.match(o.html, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\?lat=35&amp;lng=38&amp;z=7"/);
    assert.equal((await fetch(`${A.url}/oembed?url=${encodeURIComponent('https://elsewhere.org/')}`)).status, 404);
    assert.equal((await fetch(`${A.url}/oembed?format=xml&url=${encodeURIComponent(`${A.url}/`)}`)).status, 501);
    const embed = await fetch(`${A.url}/embed`);
    assert.match(embed.headers.get('content-security-policy'), /frame-ancestors \*$/);
    const app = (await (await fetch(`${A.url}/`)).text()).match(/src="(\/assets\/[0-9a-f]{16}\/js\/app\.js)"/)[1];
    for (const p of ['/', '/places/aleppo', '/api/events?limit=1', '/healthz', app]) {
      const r = await fetch(`${A.url}${p}`);
      assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors 'none'/, p);
    }
  });
});

describe('basemap and boundaries', () => {
  test('the offline basemap appears when the tile server is unreachable', async () => {
    const page = await newPage();
    await page.goto(`${B.url}/?lat=35&lng=38.5&z=7`);
    await page.waitForFunction(() => document.getElementById('map').dataset.basemap === 'offline', null, { timeout: 20000 });
    await page.locator('path.fl-country.fl-focus').waitFor();
    await page.locator('.fl-capital').first().waitFor({ state: 'attached' });
    const labels = await page.locator('.fl-capital').allTextContents();
    for (const name of ['Alep', 'Damas', 'Homs', 'Deir ez-Zor']) assert.ok(labels.includes(name), `${name} in ${labels}`);
    assert.ok(await page.locator('path.fl-country').count() > 5, 'neighbours are drawn too');
    await loaded(page);
    await shot(page, 'offline-basemap');
    await page.close();
  });

  test('the offline basemap names the capitals in English with ?lang=en', async () => {
    const { features } = await (await fetch(`${B.url}/api/capitals?lang=en`)).json();
    const english = features.map((f) => f.properties.name).sort();
    const page = await newPage();
    await page.goto(`${B.url}/?lang=en&lat=35&lng=38.5&z=7`);
    await page.waitForFunction(() => document.getElementById('map').dataset.basemap === 'offline', null, { timeout: 20000 });
    await page.locator('.fl-capital').first().waitFor({ state: 'attached' });
    const labels = await page.locator('.fl-capital').allTextContents();
    for (const name of ['Aleppo', 'Damascus', 'Homs']) assert.ok(labels.includes(name), `${name} in ${labels}`);
    for (const name of ['Alep', 'Damas']) assert.ok(!labels.includes(name), `no ${name} in ${labels}`);
    assert.deepEqual([...labels].sort(), english);
    await loaded(page);
    await shot(page, 'offline-basemap-en');
    // The unreachable tile server is the only error expected.
    assert.deepEqual(page.errors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED')), []);
    await page.close();
  });

  test('a failed atlas leaves no basemap, with a warning and no uncaught error', async () => {
    const page = await newPage();
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await page.route('**/world-atlas/countries-50m.json', (route) => route.fulfill({ status: 500, body: 'no atlas' }));
    await page.goto(`${B.url}/?lat=35&lng=38.5&z=7`);
    await page.waitForFunction(() => document.getElementById('map').dataset.basemap === 'offline', null, { timeout: 20000 });
    await loaded(page);
    const warned = () => warnings.some((w) => w.includes('countries-50m.json') && w.includes('500'));
    for (let i = 0; i < 50 && !warned(); i += 1) await page.waitForTimeout(100);
    assert.ok(warned(), warnings.join('\n'));
    assert.equal(await page.locator('path.fl-country').count(), 0);
    assert.equal(await page.locator('.fl-capital').count(), 0);
    assert.deepEqual(page.errors.filter((e) => e.startsWith('pageerror')), []);
    await page.close();
  });

  test('boundaries given with --boundaries are drawn', async () => {
    const page = await newPage();
    await page.goto(`${B.url}/?lat=35&lng=37&z=7&layers=strike,control,boundaries`);
    await page.locator('path.fl-boundary').first().waitFor();
    assert.equal(await page.locator('path.fl-boundary').count(), 2);
    await page.locator('.fl-layers input[name=boundaries]').uncheck();
    await page.waitForFunction(() => !document.querySelector('path.fl-boundary'));
    assert.equal((await fetch(`${A.url}/api/boundaries`)).status, 404);
    await page.close();
  });
});

describe('place page', () => {
  test('shows a small map, who controlled the place and its events with evidence', async () => {
    const { features } = await (await fetch(`${A.url}/api/control?at=2025-12-31`)).json();
    const id = features[0].properties.place_id;
    const page = await newPage();
    await page.goto(`${A.url}/places/${encodeURIComponent(id)}`);
    await page.locator('.fl-place-map.leaflet-container').waitFor();
    assert.ok(await page.locator('.fl-control-history li').count() >= 1);
    assert.ok(await page.locator('.fl-events .fl-evidence').count() >= 1);
    assert.equal((await fetch(`${A.url}/places/no-such-place`)).status, 404);
    await shot(page, 'place');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
