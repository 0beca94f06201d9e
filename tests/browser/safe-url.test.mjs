// The front end's link check (frontend/js/dom.js `safeUrl`), run in Node
// with the page's address as the base: links that a browser would send to
// another host never pass as same-site paths.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeUrl } from '../../frontend/js/dom.js';

const PAGE = 'http://127.0.0.1:8080/?lat=36&lng=37';

test('same-site paths and absolute http(s) URLs pass', () => {
  for (const ok of [
    '/places/aleppo',
    '/api/events?place=aleppo',
    'places/aleppo',
    '?event=12',
    'https://www.lemonde.fr/international/article/2016/12/22/x.html',
    'http://x.org/1',
  ]) {
    assert.equal(safeUrl(ok, PAGE), true, ok);
  }
});

test('URLs that resolve to another host or run code are refused', () => {
  for (const bad of [
    '/\\evil.example/x',
    '\\\\evil.example/x',
    '//evil.example/x',
    '/\t/evil.example/x',
    'https:evil.example',
    'http:/\\evil.example',
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://x.org/',
  ]) {
    assert.equal(safeUrl(bad, PAGE), false, bad);
  }
});

test('without a page, only absolute http(s) URLs pass', () => {
  assert.equal(safeUrl('https://x.org/1', undefined), true);
  assert.equal(safeUrl('/places/aleppo', undefined), false);
});
