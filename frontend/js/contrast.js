// Colour contrast as WCAG 2 defines it (relative luminance, contrast
// ratio), and colours darkened just enough to reach a ratio: the edges of
// the areas of control and of the control points are drawn in their
// side's colour, darkened until they stand out from the land at 3:1
// (WCAG 1.4.11, non-text contrast), so that a light colour (the SDF's
// yellow) is still seen where it ends. No DOM, no Leaflet: also loaded by
// the tests under Node.

/** The land of the offline basemap (and near enough that of OSM's tiles). */
export const LAND = '#f4f1e8';
/** WCAG AA's ratio for graphics and large text. */
export const NON_TEXT = 3;
/** WCAG AA's ratio for text. */
export const TEXT = 4.5;

/**
 * [r, g, b] (0-255) of `#rgb`, `#rrggbb`, `rgb(r, g, b)`/`rgba(…)` or
 * `hsl(h, s%, l%)`; null for anything else.
 */
export function parseColour(colour) {
  const s = String(colour).trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [...m[1]].map((c) => parseInt(c + c, 16));
  m = /^#([0-9a-f]{6})$/.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(s);
  if (m) return [m[1], m[2], m[3]].map(Number);
  m = /^hsl\(\s*(-?[\d.]+)[,\s]+([\d.]+)%[,\s]+([\d.]+)%\s*\)$/.exec(s);
  if (m) return hslToRgb(Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100);
  return null;
}

function hslToRgb(h, s, l) {
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** WCAG 2 relative luminance of a colour (0 black, 1 white). */
export function luminance(colour) {
  const rgb = Array.isArray(colour) ? colour : parseColour(colour);
  if (!rgb) throw new Error(`not a colour: ${colour}`);
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const hex = (rgb) => `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/**
 * `colour` as `#rrggbb`, mixed with black in small steps until its
 * contrast with `against` reaches `ratio` (unchanged when it already
 * does). Meant for light backgrounds, which every map's land is.
 */
export function withContrast(colour, against = LAND, ratio = NON_TEXT) {
  const rgb = parseColour(colour);
  if (!rgb) return '#555555';
  for (let k = 1; k > 0; k -= 0.02) {
    const mixed = rgb.map((v) => v * k);
    if (contrast(mixed, parseColour(against)) >= ratio) return hex(mixed);
  }
  return '#000000';
}
