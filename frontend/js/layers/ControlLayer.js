// Control as of a date: each place's latest controller as a coloured dot
// (stale ones faded and dashed, unknown ones grey), and the areas derived
// server-side from those places (each place's Voronoi cell, dissolved per
// side, clipped to Syria's border, a contested band between sides,
// nothing far from any known place), and the front lines where two sides'
// areas meet (a bold dark line on a light casing, dashed when its news is
// old).

import { L } from '../leaflet.js';
import { control, controlAreas, frontLines } from '../api.js';
import { el } from '../dom.js';
import { withContrast } from '../contrast.js';
import { actorColour, CONTESTED_COLOUR, FRONT_CASING, FRONT_COLOUR, UNKNOWN_COLOUR } from '../style.js';
import { vocabulary } from '../vocabulary.js';

export const ControlLayer = L.Layer.extend({
  options: {
    /** Draw the places (dots). */
    points: true,
    /** Draw the areas. */
    areas: true,
    /** Draw the front lines. */
    fronts: true,
    /** A place with no news for this many days before the date is stale. */
    staleDays: 180,
    /** Opacity of the areas' fill. */
    fillOpacity: 0.28,
    /** Width of the areas' edges, drawn in their colour darkened to a 3:1 contrast with the land. */
    edgeWeight: 1.5,
    /** Translator from i18n.js (for tooltips). */
    t: null,
  },

  initialize(options) {
    L.setOptions(this, options);
    this._areas = L.layerGroup();
    this._fronts = L.layerGroup();
    this._points = L.layerGroup();
    this._at = null;
    this.actors = [];
  },

  onAdd(map) {
    if (!map.getPane('fl-areas')) {
      map.createPane('fl-areas').style.zIndex = 350;
    }
    // Above the areas, below the event markers.
    if (!map.getPane('fl-fronts')) {
      map.createPane('fl-fronts').style.zIndex = 380;
    }
    if (this.options.areas) this._areas.addTo(map);
    if (this.options.fronts) this._fronts.addTo(map);
    if (this.options.points) this._points.addTo(map);
    if (this._at) this.setDate(this._at);
  },

  onRemove() {
    this._areas.remove();
    this._fronts.remove();
    this._points.remove();
  },

  /** The date last asked for with setDate (YYYY-MM-DD), or null. */
  date() {
    return this._at;
  },

  /** Show or hide the dots, the areas and the front lines. */
  show({ points = this.options.points, areas = this.options.areas, fronts = this.options.fronts } = {}) {
    Object.assign(this.options, { points, areas, fronts });
    if (!this._map) return;
    for (const [on, group] of [[areas, this._areas], [fronts, this._fronts], [points, this._points]]) {
      if (on) group.addTo(this._map); else group.remove();
    }
    if ((points || areas || fronts) && this._at) this.setDate(this._at);
  },

  /** Whether any part of the layer is shown. */
  shown() {
    return Boolean(this.options.points || this.options.areas || this.options.fronts);
  },

  /**
   * Redraw for the date `at` (YYYY-MM-DD). Fires `updated` when drawn.
   * Requests are never dropped halfway: while one is running, later dates
   * coalesce into one more request for the latest of them.
   */
  async setDate(at) {
    this._at = at;
    if (!this._map || !at) return;
    if (this._busy) {
      this._pending = true;
      return;
    }
    this._busy = true;
    try {
      do {
        this._pending = false;
        const date = this._at;
        const failed = (e) => { this.fire('error', { error: e }); return null; };
        const [points, areas, fronts] = await Promise.all([
          this.shown() ? control(date).catch(failed) : null,
          this.options.areas ? controlAreas(date).catch(failed) : null,
          this.options.fronts ? frontLines(date).catch(failed) : null,
        ]);
        if (!this._map) return;
        this._drawAreas(areas);
        this._drawFronts(fronts);
        this._drawPoints(points);
        const actors = new Set();
        for (const f of points?.features || []) actors.add(controller(f.properties));
        this.actors = [...actors];
        this.fire('updated', {
          at: date, points: points?.features.length || 0, areas: areas?.features.length || 0, fronts: fronts?.features.length || 0,
        });
      } while (this._pending);
    } finally {
      this._busy = false;
    }
  },

  _drawAreas(fc) {
    this._areas.clearLayers();
    if (!fc || !this.options.areas) return;
    const fill = this.options.fillOpacity;
    L.geoJSON(fc, {
      pane: 'fl-areas',
      interactive: false,
      style: (f) => {
        const p = f.properties;
        const colour = p.status === 'contested' ? CONTESTED_COLOUR
          : p.status === 'unknown' ? UNKNOWN_COLOUR : actorColour(p.actor);
        // A light fill alone barely differs from the land: the edge
        // carries the contrast (WCAG 1.4.11).
        return {
          color: withContrast(colour),
          weight: this.options.edgeWeight,
          opacity: 1,
          fillColor: colour,
          fillOpacity: p.stale ? fill * 0.45 : fill,
          className: `fl-area fl-area-${p.status}${p.stale ? ' fl-stale' : ''}`,
        };
      },
    }).addTo(this._areas);
  },

  _drawFronts(fc) {
    this._fronts.clearLayers();
    if (!fc || !this.options.fronts) return;
    const { t } = this.options;
    const vocab = vocabulary();
    // The casing first, then the line: readable over any area colour.
    for (const [colour, weight, cls] of [[FRONT_CASING, 6, 'fl-front-casing'], [FRONT_COLOUR, 3, 'fl-front']]) {
      L.geoJSON(fc, {
        pane: 'fl-fronts',
        interactive: cls === 'fl-front' && Boolean(t),
        style: (f) => ({
          color: colour,
          weight,
          opacity: f.properties.stale ? 0.55 : 0.95,
          dashArray: f.properties.stale && cls === 'fl-front' ? '6 5' : null,
          lineCap: 'round',
          lineJoin: 'round',
          className: `${cls}${f.properties.stale ? ' fl-stale' : ''}`,
        }),
        onEachFeature: (f, layer) => {
          if (cls !== 'fl-front' || !t) return;
          const [a, b] = f.properties.sides || [];
          layer.bindTooltip(el('span', {},
            el('strong', {}, t('front_line')), ` — ${vocab.actor(a) ?? a} / ${vocab.actor(b) ?? b}`,
            f.properties.newest_report ? ` (${t('newest_report')} : ${t.date(f.properties.newest_report)})` : ''), { sticky: true });
        },
      }).addTo(this._fronts);
    }
  },

  _drawPoints(fc) {
    this._points.clearLayers();
    if (!fc || !this.options.points) return;
    const t = this.options.t;
    const vocab = vocabulary();
    for (const f of fc.features) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const actor = controller(p);
      const stale = isStale(p, this._at, this.options.staleDays);
      const fillColor = actor ? actorColour(actor) : UNKNOWN_COLOUR;
      const m = L.circleMarker([lat, lon], {
        radius: 6,
        // The ring in the side's colour, dark enough to stand out from the
        // land at 3:1, even for a light fill.
        color: stale ? '#555' : withContrast(fillColor),
        weight: stale ? 1.5 : 2,
        dashArray: stale ? '2 2' : null,
        fillColor,
        fillOpacity: stale ? 0.45 : 0.95,
        className: `fl-control-point${stale ? ' fl-stale' : ''}${actor ? '' : ' fl-unknown'}`,
      });
      if (t) {
        m.bindTooltip(el('span', {},
          el('strong', {}, p.place || p.name || ''), ' — ',
          `${t('controlled_by')} ${vocab.actor(actor) ?? t('unknown_actor')} ${t('since')} ${t.date(p.since, p.date_precision)}`,
          stale ? ` (${t('stale').toLowerCase()})` : ''));
      }
      m.addTo(this._points);
    }
  },
});

/** Who holds a control point, or null when the news does not say. */
export function controller(p) {
  const c = p.controller ?? p.actor ?? null;
  return c && c !== 'unknown' ? c : null;
}

/** Whether a control point's latest news is older than `days` before `at`. */
export function isStale(p, at, days) {
  const last = p.last_report || p.since;
  if (!last || !at) return false;
  return (Date.parse(at) - Date.parse(last)) / 86400000 > days;
}

export const controlLayer = (options) => new ControlLayer(options);
