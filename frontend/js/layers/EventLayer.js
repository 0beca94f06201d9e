// Events as clustered markers: one icon per type and subtype, sized by
// fatalities. Points are fetched page by page from /api/events/points and
// added to the cluster group in chunks, so the first markers show while
// the rest still loads; filters are applied here, without refetching.
// Markers and clusters are buttons that the keyboard reaches (Tab, then
// Enter), each named for screen readers ("Frappe aérienne, 3 mars 2019,
// Russie, 5 morts"; "36 événements").

import { L } from '../leaflet.js';
import { eachPointPage } from '../api.js';
import { el } from '../dom.js';
import { eventIcon } from '../style.js';
import { vocabulary } from '../vocabulary.js';

/** Cluster icons: a disc with the count, sized by the count (px). */
const CLUSTER_SIZES = [[10, 'small', 34], [100, 'medium', 38], [Infinity, 'large', 42]];

export const EventLayer = L.Layer.extend({
  options: {
    /** Points in the first API request: small, so markers show soon. */
    firstPageSize: 5000,
    /** Points per later API request. */
    pageSize: 25000,
    /** Cluster icons merge markers within this many pixels. */
    maxClusterRadius: 45,
    /** From this zoom on, every marker shows on its own. */
    disableClusteringAtZoom: 14,
    /** Milliseconds of work per chunk when adding markers, then a pause. */
    chunkInterval: 120,
    chunkDelay: 16,
    /** Translator from i18n.js (markers' names). */
    t: null,
  },

  initialize(options) {
    L.setOptions(this, options);
    this._points = [];
    this._filter = { types: null, sub: [], actors: [], from: null, to: null };
    this._cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: this.options.chunkInterval,
      chunkDelay: this.options.chunkDelay,
      maxClusterRadius: this.options.maxClusterRadius,
      disableClusteringAtZoom: this.options.disableClusteringAtZoom,
      spiderfyOnMaxZoom: true,
      showCoverageOnHover: false,
      removeOutsideVisibleBounds: true,
      iconCreateFunction: (cluster) => this._clusterIcon(cluster.getChildCount()),
    });
    this._loading = null;
  },

  onAdd(map) {
    map.addLayer(this._cluster);
  },

  onRemove(map) {
    map.removeLayer(this._cluster);
  },

  /** Every loaded point (filtered or not). */
  points() {
    return this._points;
  },

  /** The points that pass the current filter. */
  visiblePoints() {
    return this._points.filter((p) => this._keep(p));
  },

  /**
   * (Re)load every point matching the text `q` (and only the checked
   * ones with `review` 'accepted') from the API. Fires `pageloaded` after
   * each page ({points, total}) and `loaded` at the end.
   */
  async load(q = '', review = null) {
    if (this._loading) this._loading.abort();
    const ctl = new AbortController();
    this._loading = ctl;
    this._points = [];
    this._cluster.clearLayers();
    try {
      await eachPointPage({ q, review, pageSize: this.options.pageSize, firstPageSize: this.options.firstPageSize, signal: ctl.signal }, (page) => {
        if (ctl.signal.aborted) return;
        this._points.push(...page);
        const markers = page.filter((p) => this._keep(p)).map((p) => this._marker(p));
        this._cluster.addLayers(markers);
        this.fire('pageloaded', { points: page, total: this._points.length });
      });
      if (!ctl.signal.aborted) this.fire('loaded', { total: this._points.length });
    } catch (e) {
      if (e.name !== 'AbortError') this.fire('error', { error: e });
    } finally {
      if (this._loading === ctl) this._loading = null;
    }
  },

  /**
   * Keep only some events: {types: [...] or null for all, sub: [...] (kept
   * subtypes of the types that have some),
   * actors: [...], from: 'YYYY-MM-DD', to: 'YYYY-MM-DD'} (empty lists keep
   * everything). Fires `filtered` with the number of markers shown.
   */
  setFilter(filter) {
    this._filter = { ...this._filter, ...filter };
    this._cluster.clearLayers();
    const markers = [];
    for (const p of this._points) if (this._keep(p)) markers.push(this._marker(p));
    this._cluster.addLayers(markers);
    this.fire('filtered', { shown: markers.length, total: this._points.length });
  },

  /**
   * Drop a loaded event (rejected by a reviewer, no longer reported, or out
   * of the server's filter now). Returns the point, or null when it was not
   * loaded. Fires `filtered` with the counts.
   */
  remove(id) {
    const i = this._points.findIndex((p) => p.id === id);
    if (i < 0) return null;
    const [old] = this._points.splice(i, 1);
    if (old._marker) this._cluster.removeLayer(old._marker);
    this.fire('filtered', { shown: this.visiblePoints().length, total: this._points.length });
    return old;
  },

  /**
   * Add a new event, or replace one already loaded (a changed event), as
   * it comes live: a point as from /api/events/points. Its marker is
   * highlighted for `highlightMs`. Fires `filtered` with the counts.
   */
  upsert(point, { highlightMs = 8000 } = {}) {
    const i = this._points.findIndex((p) => p.id === point.id);
    if (i >= 0) {
      const old = this._points[i];
      if (old._marker) this._cluster.removeLayer(old._marker);
      this._points[i] = point;
    } else {
      this._points.push(point);
    }
    const shown = this._keep(point);
    if (shown) {
      const m = this._marker(point);
      this._cluster.addLayer(m);
      const glow = () => m.getElement()?.classList.add('fl-new');
      glow();
      m.once('add', glow);
      setTimeout(() => m.getElement()?.classList.remove('fl-new'), highlightMs);
    }
    this.fire('filtered', { shown: this.visiblePoints().length, total: this._points.length });
    return shown;
  },

  _keep(p) {
    const f = this._filter;
    if (f.types && !f.types.includes(p.type)) return false;
    if (f.sub.length && vocabulary().hasSubtypes(p.type) && !f.sub.includes(p.subtype)) return false;
    if (f.actors.length && !f.actors.includes(p.actor) && !f.actors.includes(p.target)) return false;
    if (f.from && (!p.date || p.date < f.from)) return false;
    if (f.to && (!p.date || p.date > f.to)) return false;
    if (f.conf && !(p.confidence >= f.conf)) return false;
    return true;
  },

  /** The shown points inside `bounds` (a LatLngBounds). */
  pointsIn(bounds) {
    return this._points.filter((p) => this._keep(p) && bounds.contains([p.lat, p.lon]));
  },

  /** What a screen reader says of a point. */
  label(p) {
    const { t } = this.options;
    const vocab = vocabulary();
    const parts = [vocab.event(p.type, p.subtype)];
    if (t) parts.push(t.date(p.date, 'day'));
    if (p.actor) parts.push(p.target ? `${vocab.actor(p.actor)} → ${vocab.actor(p.target)}` : vocab.actor(p.actor));
    if (t && p.fatalities > 0) parts.push(`${t.number(p.fatalities)} ${t('killed')}`);
    return parts.join(', ');
  },

  _clusterIcon(count) {
    const [, name, size] = CLUSTER_SIZES.find(([max]) => count < max);
    const { t } = this.options;
    const label = el('span', {}, String(count), el('span', { class: 'fl-sr' }, ` ${t ? t('n_events') : 'events'}`));
    return L.divIcon({
      html: el('div', {}, label).outerHTML,
      className: `marker-cluster marker-cluster-${name}`,
      iconSize: L.point(size, size),
    });
  },

  _marker(p) {
    if (!p._marker) {
      const m = L.marker([p.lat, p.lon], {
        icon: eventIcon(p.type, p.subtype, p.fatalities, p.actor),
        keyboard: true,
      });
      m.on('click', () => this.fire('select', { point: p, marker: m, keyboard: false }));
      m.on('keydown', (e) => {
        const key = e.originalEvent?.key;
        if (key !== 'Enter' && key !== ' ') return;
        e.originalEvent.preventDefault();
        this.fire('select', { point: p, marker: m, keyboard: true });
      });
      // Icons are shared between markers: each element gets its own name.
      m.on('add', () => m.getElement()?.setAttribute('aria-label', this.label(p)));
      Object.defineProperty(p, '_marker', { value: m, enumerable: false, writable: true });
    }
    return p._marker;
  },
});

export const eventLayer = (options) => new EventLayer(options);
