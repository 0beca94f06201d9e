// Benchmark (not a test): a real server over a database of synthetic
// events, headless Chromium, cold page loads. Measures
// - first markers: navigation start → first marker or cluster drawn;
// - all loaded: → every event fetched and clustered;
// - panning: frame intervals while dragging the map with the mouse
//   (median, 95th percentile, worst) after everything has loaded.
// Usage: node tests/browser/bench-map.mjs DB [RUNS]

import { launch, startServer } from './helpers.mjs';
import { tileServer } from './fixtures.mjs';

const [db, runsArg] = process.argv.slice(2);
if (!db) {
  console.error('usage: node tests/browser/bench-map.mjs DB [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg || 7);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const tiles = await tileServer();
const server = await startServer({ command: 'serve', db, args: ['--tile-url', tiles.template] });
const browser = await launch();
const results = [];
try {
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`, { waitUntil: 'commit' });
    await page.waitForSelector('.leaflet-marker-icon', { timeout: 60000 });
    const first = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => document.getElementById('map').dataset.state === 'loaded', null, { timeout: 300000 });
    const all = await page.evaluate(() => performance.now());
    const loadedEvents = Number(await page.evaluate(() => document.getElementById('map').dataset.loaded));
    // Pan: drag across the map while recording animation frames.
    await page.evaluate(() => {
      window.__frames = [];
      const tick = (t) => { window.__frames.push(t); window.__raf = requestAnimationFrame(tick); };
      window.__raf = requestAnimationFrame(tick);
    });
    const box = await page.locator('#map').boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const panStart = Date.now();
    for (const [dx, dy] of [[300, 0], [-300, 200], [0, -300], [250, 150]]) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + dx, cy + dy, { steps: 30 });
      await page.mouse.up();
    }
    const panMs = Date.now() - panStart;
    const frames = await page.evaluate(() => {
      cancelAnimationFrame(window.__raf);
      const f = window.__frames;
      return f.slice(1).map((t, i) => t - f[i]);
    });
    results.push({ first, all, loadedEvents, panMs, frameMedian: median(frames), frameP95: pct(frames, 0.95), frameMax: Math.max(...frames) });
    console.log(`run ${i + 1}: first markers ${first.toFixed(0)} ms, all ${loadedEvents} loaded ${all.toFixed(0)} ms, `
      + `pan ${panMs} ms, frames median ${median(frames).toFixed(1)} ms p95 ${pct(frames, 0.95).toFixed(1)} ms max ${Math.max(...frames).toFixed(1)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  await tiles.close();
}
const m = (k) => median(results.map((r) => r[k]));
console.log(`\nmedian over ${runs} cold loads (${results[0]?.loadedEvents} events):`);
console.log(`  first markers      ${m('first').toFixed(0)} ms`);
console.log(`  all events loaded  ${m('all').toFixed(0)} ms`);
console.log(`  panning frames     median ${m('frameMedian').toFixed(1)} ms, p95 ${m('frameP95').toFixed(1)} ms, worst ${m('frameMax').toFixed(1)} ms`);
