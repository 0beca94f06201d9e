// Shared set-up for the browser tests: a real `frontline` server on a free
// port over a real SQLite file, and Debian's Chromium through
// playwright-core (installed by `npm ci` in frontend/).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, existsSync } from 'node:fs';
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
