// The public HTTP API, and nothing else: every request of the pages goes
// through these functions.

async function json(url, { signal } = {}) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      detail = (await res.json()).detail || detail;
    } catch { /* not a problem document */ }
    const err = new Error(`${url}: ${res.status} ${detail}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

/**
 * Every event as a compact point, page after page: calls onPage(points)
 * for each page as soon as it arrives (the first page may be smaller, to
 * draw sooner). A point is
 * {id, lat, lon, type, subtype, date, actor, target, fatalities, precision, radius_km}.
 * `review: 'accepted'` keeps only the events an analyst checked.
 */
export async function eachPointPage({ q = '', review = null, pageSize = 20000, firstPageSize = pageSize, signal } = {}, onPage) {
  let after = null;
  for (;;) {
    const p = new URLSearchParams({ limit: String(after === null ? firstPageSize : pageSize) });
    if (q) p.set('q', q);
    if (review) p.set('review', review);
    if (after !== null) p.set('after', String(after));
    const page = await json(`/api/events/points?${p}`, { signal });
    const keys = page.columns;
    const points = page.rows.map((row) => {
      const o = {};
      keys.forEach((k, i) => { o[k] = row[i]; });
      return o;
    });
    onPage(points, page);
    if (page.next_after === null || page.next_after === undefined) return;
    after = page.next_after;
  }
}

export const event = (id, opts) => json(`/api/events/${encodeURIComponent(id)}`, opts);
export const control = (at, opts) => json(`/api/control?at=${encodeURIComponent(at)}`, opts);
export const controlAreas = (at, opts) => json(`/api/control/areas?at=${encodeURIComponent(at)}`, opts);
export const frontLines = (at, opts) => json(`/api/control/frontlines?at=${encodeURIComponent(at)}`, opts);
export const boundaries = (opts) => json('/api/boundaries', opts);
/** The event types, subtypes and actors with their labels, colours and icon keys. */
export const vocabulary = (opts) => json('/api/vocabulary', opts);
/** The governorate capitals, named in `lang` ('en'; French otherwise). */
export const capitals = (lang, opts) => json(`/api/capitals${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`, opts);

/** Events as a GeoJSON FeatureCollection, with the filters of `/api/events` ({place, limit, …}). */
export function events(filters = {}, opts) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  return json(`/api/events?${p}`, opts);
}

/**
 * Follow new and changed events (`/api/events/stream`, Server-Sent Events):
 * calls onEvent(feature) for each, onRemove(id) for a changed event that
 * is no longer among them (rejected, deleted, out of the filter), and onState('connecting' | 'live' |
 * 'reconnecting') as the connection goes. After an error it reconnects
 * with back-off (1 s doubling to 30 s), resuming after the last event
 * seen, so nothing sent meanwhile is lost. Returns a function that stops.
 */
export function followEvents(filters, { onEvent, onRemove = () => {}, onState = () => {} }) {
  let source = null;
  let lastId = null;
  let delay = 1000;
  let timer = null;
  let stopped = false;
  const connect = () => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(filters || {})) if (v) p.set(k, String(v));
    if (lastId !== null) p.set('last_event_id', lastId);
    onState(lastId === null ? 'connecting' : 'reconnecting');
    source = new EventSource(`/api/events/stream${p.size ? `?${p}` : ''}`);
    source.addEventListener('ready', (e) => {
      if (lastId === null) lastId = e.lastEventId;
      delay = 1000;
      onState('live');
    });
    source.addEventListener('event', (e) => {
      lastId = e.lastEventId;
      try {
        onEvent(JSON.parse(e.data));
      } catch (err) {
        console.warn(`live event ${e.lastEventId}: ${err.message}`);
      }
    });
    source.addEventListener('removed', (e) => {
      lastId = e.lastEventId;
      try {
        onRemove(JSON.parse(e.data).id);
      } catch (err) {
        console.warn(`live removal ${e.lastEventId}: ${err.message}`);
      }
    });
    source.onerror = () => {
      // Reconnect ourselves, with back-off, rather than at the browser's pace.
      source.close();
      if (stopped) return;
      onState('reconnecting');
      clearTimeout(timer);
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
    onState('off');
  };
}

/**
 * The review history of an event ([{at, reviewer, field, before, after,
 * note}]); editors only, with the session cookie or token of the page.
 */
export async function eventHistory(id) {
  const res = await fetch(`/api/events/${encodeURIComponent(id)}/history`, {
    credentials: 'same-origin', headers: { Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`history of event ${id}: ${res.status}`);
  return (await res.json()).history;
}
