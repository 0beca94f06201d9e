// The event vocabulary: the types, subtypes and canonical actors, with
// their labels (French and English, singular and plural), colours and
// icon keys. The server serves it (`/api/vocabulary`, built from the
// tables in backend/extract/data/vocabulary/); a page loads it once, in
// its language, before drawing anything, and every layer and control asks
// it here: no front-end module lists types, subtypes or actors.
//
// When it cannot be loaded, the page still works: an error goes to the
// console, labels are the raw keys, actors get style.js's hash colour and
// every icon is a plain disc.

import { vocabulary as fetchVocabulary } from './api.js';

/** The subtype of events whose means the text does not say: left out of labels and filters. */
export const NO_SUBTYPE = 'unspecified';

const COLOUR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;
const text = (v) => (typeof v === 'string' && v.trim() ? v : null);
const list = (v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object' && text(x.key ?? x.name)) : []);

export class Vocabulary {
  /** `data` as /api/vocabulary answers it (or null: nothing known); `lang` 'en' or French. */
  constructor(data, lang) {
    this.lang = lang === 'en' ? 'en' : 'fr';
    /** Whether this came from the server (false: raw keys only). */
    this.loaded = Boolean(data);
    const en = this.lang === 'en';
    const term = (x) => ({
      key: x.key,
      label: text(en ? x.label_en : x.label_fr) ?? x.key,
      plural: text(en ? x.label_en_plural : x.label_fr_plural) ?? text(en ? x.label_en : x.label_fr) ?? x.key,
      colour: COLOUR.test(x.colour) ? x.colour : null,
      icon: text(x.icon),
      types: Array.isArray(x.types) ? x.types : [],
    });
    /** Event types in the table's order: [{key, label, plural, colour, icon}]. */
    this.types = list(data?.types).map(term);
    this._types = new Map(this.types.map((x) => [x.key, x]));
    this._subtypes = new Map(list(data?.subtypes).map((x) => [x.key, term(x)]));
    this._actors = new Map(list(data?.actors).map((a) => [a.name, {
      label: text(en ? a.label_en : a.label_fr) ?? a.name,
      colour: COLOUR.test(a.colour) ? a.colour : null,
    }]));
    /** The glyph of each icon key: SVG markup built from checked shapes only. */
    this._glyphs = new Map(list(data?.icons).map((i) => [i.key, glyphMarkup(i.shapes)]).filter(([, m]) => m));
    /** Type keys in order. */
    this.typeKeys = this.types.map((x) => x.key);
    this._withSubtypes = new Set(this.types.filter((x) => this.subtypesOf(x.key).length).map((x) => x.key));
  }

  /** The subtypes readers choose among for a type, in the table's order (not NO_SUBTYPE). */
  subtypesOf(type) {
    return [...this._subtypes.values()].filter((s) => s.key !== NO_SUBTYPE && s.types.includes(type));
  }

  /** Whether events of this type are told apart by subtype. */
  hasSubtypes(type) {
    return this._withSubtypes.has(type);
  }

  /** A type's label (its key when unknown). */
  type(key, { plural = false } = {}) {
    const x = this._types.get(key);
    return x ? (plural ? x.plural : x.label) : String(key ?? '');
  }

  /** A subtype's label (its key when unknown). */
  subtype(key, { plural = false } = {}) {
    const x = this._subtypes.get(key);
    return x ? (plural ? x.plural : x.label) : String(key ?? '');
  }

  /**
   * An event's type and subtype as one label: the subtype after the type
   * in French ("Frappe aérienne"), before it in English ("Air strike");
   * no subtype when it is NO_SUBTYPE or not one of the type's.
   */
  event(type, subtype) {
    const base = this.type(type);
    const sub = subtype && subtype !== NO_SUBTYPE && this._subtypes.get(subtype)?.types.includes(type)
      ? this.subtype(subtype) : null;
    if (!sub) return base;
    if (this.lang === 'en') return `${sub[0].toUpperCase()}${sub.slice(1)} ${lowerFirst(base)}`;
    return `${base} ${sub}`;
  }

  /** An actor's name for readers (the raw name when unknown; null for none). */
  actor(name) {
    if (!name) return null;
    return this._actors.get(name)?.label ?? name;
  }

  /** An actor's colour, or null when the vocabulary does not know it. */
  actorColour(name) {
    return (name && this._actors.get(name)?.colour) || null;
  }

  /** A type's colour, or null. */
  typeColour(type) {
    return this._types.get(type)?.colour ?? null;
  }

  /** The icon key of a type and subtype (the subtype's when it is one of the type's), or null. */
  icon(type, subtype) {
    const s = this._subtypes.get(subtype);
    if (s?.icon && s.types.includes(type)) return s.icon;
    return this._types.get(type)?.icon ?? null;
  }

  /** The SVG markup of an icon key's glyph (24×24 box), or null. */
  glyph(key) {
    return this._glyphs.get(key) ?? null;
  }
}

const PATH = /^[MLHVCSQTAZmlhvcsqtaz0-9., -]+$/;

/**
 * SVG elements for the server's shapes ({path: "M…"} or {circle: [x, y, r]});
 * null if any shape is not of these checked forms, so that nothing but
 * path commands and numbers reaches the markup.
 */
function glyphMarkup(shapes) {
  if (!Array.isArray(shapes) || !shapes.length) return null;
  const parts = shapes.map((s) => {
    if (typeof s?.path === 'string' && PATH.test(s.path)) return `<path d="${s.path}"/>`;
    const c = s?.circle;
    if (Array.isArray(c) && c.length === 3 && c.every(Number.isFinite)) {
      return `<circle cx="${c[0]}" cy="${c[1]}" r="${c[2]}"/>`;
    }
    return null;
  });
  return parts.every(Boolean) ? parts.join('') : null;
}

/** "Strike" → "strike"; "IED" stays. */
function lowerFirst(s) {
  return s.length > 1 && s[1] === s[1].toLowerCase() ? `${s[0].toLowerCase()}${s.slice(1)}` : s;
}

let current = new Vocabulary(null, document.documentElement.lang);

/** The vocabulary loaded by loadVocabulary (an empty one before, or after a failure). */
export const vocabulary = () => current;

/** Load the vocabulary once, in `lang`; on failure, log it and keep raw keys. */
export async function loadVocabulary(lang) {
  try {
    current = new Vocabulary(await fetchVocabulary(), lang);
  } catch (e) {
    console.error(`Event vocabulary unavailable, showing raw keys: ${e.message}`);
    current = new Vocabulary(null, lang);
  }
  return current;
}
