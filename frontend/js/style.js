// How events and sides are drawn: the glyph of each icon key, icon sizes,
// and the colours of types and actors, which come from the vocabulary
// (vocabulary.js); shared by the layers, the legend and the place page.

import { L } from './leaflet.js';
import { vocabulary } from './vocabulary.js';

/** Below this width (frontline.css's breakpoint) panels are sheets, closed at start. */
export const SMALL_SCREEN = '(max-width: 699px)';

export const UNKNOWN_COLOUR = '#9e9e9e';
export const CONTESTED_COLOUR = '#ff6f00';
/** Front lines: a dark line on a light casing, over any area colour. */
export const FRONT_COLOUR = '#1b1b1b';
export const FRONT_CASING = '#ffffff';
/** The colour of a type the vocabulary does not know. */
const OTHER_TYPE_COLOUR = '#555';

/** An actor's colour: the vocabulary's, else a stable colour from its name. */
export function actorColour(actor) {
  if (!actor) return UNKNOWN_COLOUR;
  const known = vocabulary().actorColour(actor);
  if (known) return known;
  // A stable colour for actors the vocabulary does not know.
  let h = 0;
  for (const c of actor) h = (h * 31 + c.codePointAt(0)) % 360;
  return `hsl(${h}, 55%, 40%)`;
}

/** A type's colour (the vocabulary's). */
export function typeColour(type) {
  return vocabulary().typeColour(type) || OTHER_TYPE_COLOUR;
}

/** The glyph of each icon key of the vocabulary, drawn in a 24×24 box. */
const GLYPHS = {
  'strike/air': '<path d="M12 3l2 7 7 3v2l-7-2-.5 5 2.5 2v1.5L12 20l-4 1.5V20l2.5-2-.5-5-7 2v-2l7-3z"/>',
  'strike/drone': '<path d="M4 8h5v2H4zM15 8h5v2h-5zM9 10h6l1 4h-8zM11 14h2v4h-2z"/>',
  'strike/artillery': '<path d="M3 17h10l2-3h-3l7-8 1 1-6 7h2l-2 5H3z"/><circle cx="7" cy="19" r="2"/>',
  'strike/missile': '<path d="M18 3l3 3-11 11-2-1-1 1 1 3-2 1-2-4-4-2 1-2 3 1 1-1-1-2z"/>',
  'strike/unspecified': '<path d="M12 2l2.5 6.5L21 7l-4 5 4 5-6.5-1.5L12 22l-2.5-6.5L3 17l4-5-4-5 6.5 1.5z"/>',
  explosion: '<path d="M12 2l2 6 6-3-3 6 5 2-6 2 2 6-6-3-3 5-1-6-6 1 4-5-4-4 6 0z"/>',
  clash: '<path d="M4 3l8 8-2 2-8-8zM20 3l-8 8 2 2 8-8zM3 18l5-5 3 3-5 5zM21 18l-5-5-3 3 5 5z"/>',
  civilian_targeting: '<circle cx="12" cy="6" r="3"/><path d="M7 22v-8l-2-4 4-1h6l4 1-2 4v8h-3v-6h-4v6z"/>',
  control_change: '<path d="M5 2h2v20H5zM7 3h12l-3 4 3 4H7z"/>',
};

const DEFAULT_GLYPH = '<circle cx="12" cy="12" r="6"/>';
const hasGlyph = (key) => typeof key === 'string' && Object.hasOwn(GLYPHS, key);

/**
 * The icon key of an event: the vocabulary's; without it, guessed from the
 * keys (`type/subtype`, `type`, `type/unspecified`).
 */
export function glyphKey(type, subtype) {
  const known = vocabulary().icon(type, subtype);
  if (hasGlyph(known)) return known;
  return [`${type}/${subtype}`, type, `${type}/unspecified`].find(hasGlyph) ?? null;
}

/**
 * Icon size in pixels: larger with more fatalities (logarithmic), from 24
 * (a target big enough to tap) to 36, so that big icons do not hide the
 * places and clusters around them.
 */
export function iconSize(fatalities) {
  const f = Number(fatalities) > 0 ? Number(fatalities) : 0;
  return Math.round(Math.min(36, 24 + 3 * Math.log2(1 + f)));
}

/** SVG markup of the icon of a key (only our own constants go into it). */
export function iconSvg(key, colour) {
  const fill = /^#[0-9a-f]{3,8}$|^hsl\(\d+, \d+%, \d+%\)$/i.test(colour) ? colour : '#555';
  return `<svg viewBox="0 0 24 24" width="100%" height="100%" aria-hidden="true">`
    + `<circle cx="12" cy="12" r="11.5" fill="#fff" stroke="${fill}" stroke-width="1"/>`
    + `<g fill="${fill}" transform="translate(3.6 3.6) scale(0.7)">${hasGlyph(key) ? GLYPHS[key] : DEFAULT_GLYPH}</g></svg>`;
}

const iconCache = new Map();

/** A Leaflet icon for an event, cached by type, glyph, colour and size. */
export function eventIcon(type, subtype, fatalities, actor) {
  const size = iconSize(fatalities);
  // Control changes take the colour of the side that took control.
  const colour = type === 'control_change' ? actorColour(actor) : typeColour(type);
  const glyph = glyphKey(type, subtype);
  const key = `${type}|${glyph}|${colour}|${size}`;
  let icon = iconCache.get(key);
  if (!icon) {
    icon = L.divIcon({
      className: `fl-icon fl-${type}`,
      html: iconSvg(glyph, colour),
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
      popupAnchor: [0, -size / 2],
    });
    iconCache.set(key, icon);
  }
  return icon;
}
