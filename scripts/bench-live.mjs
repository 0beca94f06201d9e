// Live events under load — a measurement, not a test: the API's median
// latencies on the demo server, idle, then with STREAMS open
// /api/events/stream connections while articles are POSTed, and how many
// events each stream received. Loopback only; bounded (ARTICLES articles,
// REQUESTS requests per URL and phase).
//   node scripts/bench-live.mjs            (FRONTLINE_BIN=…, STREAMS=1000, ARTICLES=100, REQUESTS=150)
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.FRONTLINE_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'release', 'frontline');
const STREAMS = Number(process.env.STREAMS || 1000);
const ARTICLES = Number(process.env.ARTICLES || 100);
const REQUESTS = Number(process.env.REQUESTS || 150);
const TOKEN = 'bench-live-token';
const URLS = [
  '/api/events?limit=100',
  '/api/events?bbox=36.9,36.0,37.4,36.4&limit=1000',
  '/api/events/points?limit=5000',
];

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function get(base, url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http.get(`${base}${url}`, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    }).on('error', reject);
  });
}

function post(base, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/articles`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(body);
  });
}

async function medians(base, label) {
  const out = {};
  for (const url of URLS) {
    const times = [];
    for (let i = 0; i < REQUESTS; i += 1) times.push(await get(base, url));
    out[url] = median(times);
  }
  console.log(`${label}: ${URLS.map((u) => `${u} ${out[u].toFixed(2)} ms`).join('; ')}`);
  return out;
}

/** Open n streams; resolves when all said `ready`, with their counters. */
function openStreams(base, n) {
  const streams = [];
  return new Promise((resolve) => {
    let ready = 0;
    for (let i = 0; i < n; i += 1) {
      const s = { events: 0, req: null };
      s.req = http.get(`${base}/api/events/stream`, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          s.events += (chunk.match(/^event: event$/gm) || []).length;
          if (/^event: ready$/m.test(chunk)) { ready += 1; if (ready === n) resolve(streams); }
        });
      });
      s.req.on('error', () => {});
      streams.push(s);
    }
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'frontline-bench-live-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(BIN, ['demo', '--addr', `127.0.0.1:${port}`, '--db', path.join(dir, 'demo.db')], {
  env: { ...process.env, FRONTLINE_TOKEN: TOKEN, RUST_LOG: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  for (let i = 0; ; i += 1) {
    try { await get(base, '/healthz'); break; } catch { if (i > 600) throw new Error('the server did not start'); await sleep(200); }
  }
  const articles = execFileSync('python3', [path.join(ROOT, 'scripts/gen-articles.py'), String(ARTICLES), '7'], { encoding: 'utf8' })
    .split('\n').filter(Boolean);
  console.log(`binary ${BIN}; ${os.cpus().length} cores; ${STREAMS} streams; ${ARTICLES} articles; ${REQUESTS} requests per URL`);
  const idle = await medians(base, 'idle');
  const t0 = performance.now();
  const streams = await openStreams(base, STREAMS);
  console.log(`${STREAMS} streams open in ${(performance.now() - t0).toFixed(0)} ms`);
  let stored = 0;
  const ingest = (async () => {
    for (const a of articles) if (await post(base, a) === 201) stored += 1;
  })();
  const loaded = await medians(base, `${STREAMS} streams + ingest`);
  await ingest;
  await sleep(3000);
  const got = streams.map((s) => s.events);
  console.log(`ingested ${stored} new articles; events received per stream: min ${Math.min(...got)}, median ${median(got)}, max ${Math.max(...got)}`);
  for (const url of URLS) console.log(`ratio ${url}: ${(loaded[url] / idle[url]).toFixed(2)}×`);
  for (const s of streams) s.req.destroy();
} finally {
  server.kill('SIGTERM');
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
