// The view's state in the URL, so that a link reopens the same map:
//   lat, lng, z          centre and zoom
//   layers               visible layers (comma-separated): the event types
//                        of the vocabulary, and MAP_LAYERS
//   sub                  subtypes kept (empty: all)
//   actors               actors kept (empty: all)
//   from, to             date range, YYYY-MM-DD
//   q                    text that must occur in the evidence
//   at                   control as of this date
//   event                an event to open, focused, with its popup
//   lang                 "en" for English (French by default)
//   controls, wheel      embed only: controls shown, scroll-wheel zoom
//   live                 0: no live events (new events arrive live by default)
//   review               "accepted": only the events an analyst checked
//                        (accepted or corrected); the server filters them

import { vocabulary } from './vocabulary.js';

/** The layers that are not event types; all but boundaries are on by default. */
export const MAP_LAYERS = ['control', 'areas', 'fronts', 'boundaries'];
const DEFAULT_MAP_LAYERS = ['control', 'areas', 'fronts'];
/** A well-formed key, for layers when the vocabulary could not be loaded. */
const KEY = /^[a-z][a-z0-9_]{0,40}$/;
export const CONTROLS = ['zoom', 'layers', 'filters', 'timeline', 'legend'];
export const DEFAULT_VIEW = { lat: 35.0, lng: 38.5, z: 7 };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function list(params, name, allowed) {
  const raw = params.get(name);
  if (raw === null) return null;
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof allowed === 'function') return values.filter(allowed);
  return allowed ? values.filter((v) => allowed.includes(v)) : values;
}

/** The layers a link may name: the event types and MAP_LAYERS (any key while the types are unknown). */
function layerAllowed(types) {
  return types.length ? (v) => types.includes(v) || MAP_LAYERS.includes(v) : (v) => KEY.test(v);
}

/** The layers on by default: every event type, control, areas and front lines. */
export function defaultLayers(types = vocabulary().typeKeys) {
  return [...types, ...DEFAULT_MAP_LAYERS];
}

function number(params, name, min, max) {
  const v = Number.parseFloat(params.get(name));
  return Number.isFinite(v) && v >= min && v <= max ? v : null;
}

function date(params, name) {
  const v = params.get(name);
  return v && DATE.test(v) ? v : null;
}

/** The page's language in a query string: 'en' for English, else 'fr'. */
export const pageLang = (search) => (new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'fr');

/**
 * Parse a query string into a full state (defaults for what is missing);
 * `types` are the event types' keys (the vocabulary's by default).
 */
export function readState(search, { embed = false, types = vocabulary().typeKeys } = {}) {
  const p = new URLSearchParams(search);
  const id = Number.parseInt(p.get('event'), 10);
  return {
    lat: number(p, 'lat', -90, 90) ?? DEFAULT_VIEW.lat,
    lng: number(p, 'lng', -180, 180) ?? DEFAULT_VIEW.lng,
    z: number(p, 'z', 0, 19) ?? DEFAULT_VIEW.z,
    layers: list(p, 'layers', layerAllowed(types)) ?? defaultLayers(types),
    sub: list(p, 'sub') ?? [],
    actors: list(p, 'actors') ?? [],
    from: date(p, 'from'),
    to: date(p, 'to'),
    q: (p.get('q') || '').slice(0, 200),
    conf: number(p, 'conf', 0, 1) ?? 0,
    at: date(p, 'at'),
    event: Number.isSafeInteger(id) && id > 0 ? id : null,
    lang: pageLang(search),
    controls: list(p, 'controls', CONTROLS) ?? (embed ? ['zoom', 'legend'] : [...CONTROLS]),
    wheel: p.has('wheel') ? p.get('wheel') === '1' : !embed,
    // New events arrive live unless `live=0`.
    live: p.get('live') !== '0',
    review: p.get('review') === 'accepted' ? 'accepted' : null,
  };
}

/** The query string for a state; defaults are left out to keep links short. */
export function stateQuery(s, { embed = false, includeEvent = true, types = vocabulary().typeKeys } = {}) {
  const p = new URLSearchParams();
  p.set('lat', (+s.lat).toFixed(4));
  p.set('lng', (+s.lng).toFixed(4));
  p.set('z', String(Math.round(s.z)));
  const defaults = defaultLayers(types);
  const sameLayers = s.layers.length === defaults.length && defaults.every((l) => s.layers.includes(l));
  if (!sameLayers) p.set('layers', s.layers.join(','));
  if (s.sub.length) p.set('sub', s.sub.join(','));
  if (s.actors.length) p.set('actors', s.actors.join(','));
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.q) p.set('q', s.q);
  if (s.conf) p.set('conf', String(s.conf));
  if (s.at) p.set('at', s.at);
  if (includeEvent && s.event) p.set('event', String(s.event));
  if (s.lang === 'en') p.set('lang', 'en');
  if (s.live === false) p.set('live', '0');
  if (s.review === 'accepted') p.set('review', 'accepted');
  if (embed) {
    p.set('controls', s.controls.join(','));
    if (s.wheel) p.set('wheel', '1');
  }
  return p.toString().replaceAll('%2C', ',');
}

/** Replace the address bar's query without a new history entry. */
export function writeState(s, opts) {
  const q = stateQuery(s, opts);
  const url = `${window.location.pathname}?${q}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.replaceState(null, '', url);
  }
}
