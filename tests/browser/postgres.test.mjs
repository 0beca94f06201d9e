// The map on PostgreSQL: the demo built into a PostgreSQL database and into
// a SQLite file by two servers, the same events served by both, and the map
// drawn from the PostgreSQL one in Chromium. Runs when the test command
// started its throw-away cluster (FRONTLINE_TEST_POSTGRES_DB names an empty
// database on it); skipped otherwise.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, shot, startServer, watchErrors } from './helpers.mjs';
import { tileServer } from './fixtures.mjs';

const PG = process.env.FRONTLINE_TEST_POSTGRES_DB;
let dir;
let tiles;
let onPostgres;
let onSqlite;
let browser;

// What identifies an event whatever its id: its type, place, day and sides.
const identity = (f) => {
  const p = f.properties;
  return [p.type, p.place_id, p.date, p.actor, p.target, p.fatalities, p.source_count].join('|');
};
const eventsOf = async (server) => {
  const r = await fetch(`${server.url}/api/events?limit=10000`);
  assert.equal(r.status, 200);
  return (await r.json()).features.map(identity).sort();
};

describe('the map on PostgreSQL', { skip: PG ? false : 'FRONTLINE_TEST_POSTGRES_DB is not set' }, () => {
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-pg-browser-'));
    tiles = await tileServer();
    const args = ['--tile-url', tiles.template];
    onPostgres = await startServer({ command: 'demo', db: PG, args });
    onSqlite = await startServer({ command: 'demo', db: path.join(dir, 'demo.db'), args });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await onPostgres?.stop();
    await onSqlite?.stop();
    await tiles?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the demo has the same events on both engines', async () => {
    const [pg, lite] = await Promise.all([eventsOf(onPostgres), eventsOf(onSqlite)]);
    assert.ok(pg.length >= 120, `${pg.length} events on PostgreSQL`);
    assert.deepEqual(pg, lite);
  });

  test('markers and control areas are drawn from PostgreSQL', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    const errors = watchErrors(page);
    await page.goto(`${onPostgres.url}/`);
    await page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'loaded', null, { timeout: 60000 });
    const loaded = Number(await page.evaluate(() => document.getElementById('map').dataset.loaded));
    assert.ok(loaded >= 120, `events loaded: ${loaded}`);
    assert.ok(await page.locator('.leaflet-marker-icon').count() > 5);
    const control = await (await fetch(`${onPostgres.url}/api/control?at=2025-01-01`)).json();
    assert.ok(control.features.length >= 10, `${control.features.length} controlled places`);
    await shot(page, 'map-postgres');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
