// Small local servers for the browser tests: a tile server that draws
// plain tiles (so no test ever reaches an outside tile server), and a page
// on another origin that frames the map.

import http from 'node:http';
import zlib from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 256×256 RGB PNG: a pale fill with a darker border. */
export function tilePng([r, g, b] = [214, 226, 205]) {
  const size = 256;
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y += 1) {
    const row = y * (size * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < size; x += 1) {
      const edge = x === 0 || y === 0;
      const o = row + 1 + x * 3;
      raw[o] = edge ? r - 40 : r;
      raw[o + 1] = edge ? g - 40 : g;
      raw[o + 2] = edge ? b - 40 : b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Start an HTTP server on 127.0.0.1 with a handler; returns {url, port, close()}. */
export function serve(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, port, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** A tile server: every /z/x/y.png is a plain tile; counts requests. */
export async function tileServer() {
  const png = tilePng();
  const s = await serve((req, res) => {
    s.requests += 1;
    res.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' });
    res.end(png);
  });
  s.requests = 0;
  s.template = `${s.url}/{z}/{x}/{y}.png`;
  return s;
}

/** A page on another origin whose body is `html`. */
export function hostPage(html) {
  return serve((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
}
