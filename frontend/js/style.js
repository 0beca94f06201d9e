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

const DEFAULT_GLYPH = '<circle cx="12" cy="12" r="6"/>';

/** The icon key of an event (the vocabulary's), or null when it has no glyph. */
export function glyphKey(type, subtype) {
  const key = vocabulary().icon(type, subtype);
  return key && vocabulary().glyph(key) ? key : null;
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

/** SVG markup of the icon of a key (only checked shapes and colours go into it). */
export function iconSvg(key, colour) {
  const fill = /^#[0-9a-f]{3,8}$|^hsl\(\d+, \d+%, \d+%\)$/i.test(colour) ? colour : '#555';
  return `<svg viewBox="0 0 24 24" width="100%" height="100%" aria-hidden="true">`
    + `<circle cx="12" cy="12" r="11.5" fill="#fff" stroke="${fill}" stroke-width="1"/>`
    + `<g fill="${fill}" transform="translate(3.6 3.6) scale(0.7)">${vocabulary().glyph(key) ?? DEFAULT_GLYPH}</g></svg>`;
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
