// Shared set-up for the browser tests: a real `frontline` server on a free
// port over a real SQLite file, and Debian's Chromium through
// playwright-core (installed by `npm ci` in frontend/).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const require = createRequire(path.join(ROOT, 'frontend', 'package.json'));
const { chromium } = require('playwright-core');

/** The server binary: $FRONTLINE_BIN, else the release or debug build. */
export function binary() {
  if (process.env.FRONTLINE_BIN) return process.env.FRONTLINE_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
  for (const profile of ['release', 'debug']) {
    const p = path.join(target, profile, 'frontline');
    if (existsSync(p)) return p;
  }
  throw new Error('no frontline binary: build it or set FRONTLINE_BIN');
}

/** A TCP port nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start `frontline <command>` on a free port and wait for /healthz: the
 * binary `bin` (default binary()) in the folder `cwd` (default the
 * repository), with `--db db` when one is given, and the environment
 * without the variables named in `unset`.
 * Returns {url, port, stop(), logs()}.
 */
export async function startServer({
  command = 'demo', db, args = [], env = {}, unset = [], bin = binary(), cwd = ROOT, timeoutMs = 120000,
} = {}) {
  const port = await freePort();
  const environment = { ...process.env, RUST_LOG: 'warn', ...env };
  for (const name of unset) delete environment[name];
  const dbArgs = db ? ['--db', db] : [];
  const child = spawn(bin, [command, '--addr', `127.0.0.1:${port}`, ...dbArgs, ...args], {
    cwd,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`frontline exited (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`frontline did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    logs: () => output,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Save a screenshot under tests/artifacts/ and return its path. */
export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Collect page errors and console errors of a page. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}

let axeSource = null;

/**
 * Run axe-core (npm, injected from frontend/node_modules) on the page and
 * return its violations of impact `serious` or `critical`, each as
 * {id, impact, help, targets}. The map's tiles and drawn shapes are
 * images without text: axe judges the page's text, controls and ARIA.
 */
export async function audit(page, { impacts = ['serious', 'critical'] } = {}) {
  // Evaluated through the DevTools protocol: the pages' Content-Security-Policy
  // refuses inline scripts, and page.addScriptTag would add one.
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(`${axeSource}\n;0`);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  // A marker that the map's pan has put partly under a panel is not a
  // target too small (every marker is drawn at 24 px or more, and panning
  // frees it): those are left out of target-size, and nothing else.
  for (const v of result.violations.filter((x) => x.id === 'target-size')) {
    const keep = [];
    for (const n of v.nodes) {
      const underControl = await page.evaluate((sel) => {
        const node = document.querySelector(sel);
        if (!node?.classList.contains('leaflet-marker-icon')) return false;
        const r = node.getBoundingClientRect();
        const big = r.width >= 24 && r.height >= 24;
        const covered = [...document.querySelectorAll('.leaflet-control')].some((c) => {
          const b = c.getBoundingClientRect();
          return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
        });
        return big && covered;
      }, n.target.join(' ')).catch(() => false);
      if (!underControl) keep.push(n);
    }
    v.nodes = keep;
  }
  return result.violations
    .filter((v) => impacts.includes(v.impact) && v.nodes.length)
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`) }));
}
