// The WCAG contrast arithmetic of frontend/js/contrast.js, under Node (no
// browser): ratios of known pairs, colour parsing, and colours darkened
// just enough to reach a ratio.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrast, LAND, NON_TEXT, parseColour, withContrast } from '../../frontend/js/contrast.js';

const near = (a, b, eps = 0.01) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('contrast ratios of known pairs', () => {
  near(contrast('#000', '#fff'), 21);
  near(contrast('#fff', '#fff'), 1);
  // WCAG's classic borderline grey: #767676 passes 4.5:1 on white, #777 does not.
  assert.ok(contrast('#767676', '#ffffff') >= 4.5);
  assert.ok(contrast('#777777', '#ffffff') < 4.5);
  // Symmetric.
  near(contrast('#c62828', LAND), contrast(LAND, '#c62828'));
});

test('colours are read as hex, rgb() and hsl()', () => {
  assert.deepEqual(parseColour('#f9a825'), [249, 168, 37]);
  assert.deepEqual(parseColour('#abc'), [170, 187, 204]);
  assert.deepEqual(parseColour('rgb(1, 2, 3)'), [1, 2, 3]);
  assert.deepEqual(parseColour('rgba(1, 2, 3, 0.5)'), [1, 2, 3]);
  assert.deepEqual(parseColour('hsl(0, 100%, 50%)'), [255, 0, 0]);
  assert.deepEqual(parseColour('hsl(120, 100%, 25%)'), [0, 128, 0]);
  assert.equal(parseColour('red; background: url(x)'), null);
  assert.throws(() => contrast('nonsense', '#fff'), /not a colour/);
});

test('a light colour is darkened to 3:1 against the land, a dark one is kept', () => {
  // The SDF's yellow is far below 3:1 on the land.
  assert.ok(contrast('#f9a825', LAND) < 2);
  const edge = withContrast('#f9a825');
  assert.ok(contrast(edge, LAND) >= NON_TEXT, edge);
  // Only just darkened enough: still a yellow-brown, not black.
  assert.ok(contrast(edge, LAND) < NON_TEXT + 0.5, `${edge}: ${contrast(edge, LAND)}`);
  assert.equal(withContrast('#8e0000'), '#8e0000');
  assert.ok(contrast(withContrast('hsl(60, 55%, 40%)'), LAND) >= NON_TEXT);
  assert.ok(contrast(withContrast('#ffffff', '#ffffff', 4.5), '#ffffff') >= 4.5);
  assert.equal(withContrast('not a colour'), '#555555');
});
