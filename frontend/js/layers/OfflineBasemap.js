// A vector basemap that needs no tile server: country outlines from
// Natural Earth (the world-atlas package, decoded with topojson-client),
// Syria emphasised, and the governorate capitals labelled (labels kept
// clear of markers and clusters by labels.js).

import { L, topojson } from '../leaflet.js';
import { capitals as fetchCapitals } from '../api.js';
import { el } from '../dom.js';
import { declutter } from '../labels.js';

export const OfflineBasemap = L.Layer.extend({
  options: {
    /** TopoJSON of the world's countries (world-atlas), beside our modules
     *  under the same versioned prefix. */
    atlasUrl: new URL('../../vendor/world-atlas/countries-50m.json', import.meta.url).href,
    /** Language of the capitals' names: 'en', else French. */
    lang: null,
    /** ISO 3166 numeric id of the country to emphasise (Syria). */
    focus: '760',
    /** Pane for the outlines, below every overlay. */
    pane: 'fl-offline',
    /** Only the emphasised country's border, as a line over the tiles (no fill, no capitals). */
    outline: false,
  },

  initialize(options) {
    L.setOptions(this, options);
    this._group = L.layerGroup();
  },

  onAdd(map) {
    if (this.options.outline) this.options.pane = 'overlayPane';
    if (!map.getPane(this.options.pane)) {
      const pane = map.createPane(this.options.pane);
      pane.style.zIndex = 150;
    }
    if (!this.options.outline) map.getContainer().classList.add('fl-offline');
    this._group.addTo(map);
    if (!this._drawn) this._draw();
  },

  onRemove(map) {
    map.getContainer().classList.remove('fl-offline');
    this._group.remove();
    this._labels?.stop();
    this._labels = null;
  },

  /** Place the labels again (after other layers were drawn). */
  relabel() {
    this._labels?.();
  },

  async _draw() {
    this._drawn = true;
    if (!topojson) {
      this.fire('error', { error: new Error('topojson-client is not loaded') });
      return;
    }
    const [atlas, capitals] = await Promise.all([
      fetch(this.options.atlasUrl)
        .then((r) => {
          if (!r.ok) throw new Error(`${this.options.atlasUrl}: ${r.status} ${r.statusText}`);
          return r.json();
        })
        .catch((error) => {
          console.warn(`offline basemap: ${error.message}`);
          this.fire('error', { error });
          return null;
        }),
      this.options.outline ? null : fetchCapitals(this.options.lang).catch((error) => {
        console.warn(`offline basemap: ${error.message}`);
        return null;
      }),
    ]);
    if (!atlas) return;
    const countries = topojson.feature(atlas, atlas.objects.countries);
    const focus = String(this.options.focus);
    if (this.options.outline) {
      L.geoJSON({ type: 'FeatureCollection', features: countries.features.filter((f) => String(f.id) === focus) }, {
        pane: this.options.pane,
        interactive: false,
        style: { color: '#333', weight: 2, opacity: 0.8, fill: false, className: 'fl-country fl-focus fl-outline' },
      }).addTo(this._group);
      this.fire('drawn');
      return;
    }
    L.geoJSON(countries, {
      pane: this.options.pane,
      interactive: false,
      style: (f) => (String(f.id) === focus
        ? { color: '#444', weight: 1.6, fillColor: '#f4f1e8', fillOpacity: 1, className: 'fl-country fl-focus' }
        : { color: '#8a8a8a', weight: 0.8, fillColor: '#e4e2dc', fillOpacity: 1, className: 'fl-country' }),
    }).addTo(this._group);
    const labelled = [];
    for (const f of capitals?.features || []) {
      const [lon, lat] = f.geometry.coordinates;
      labelled.push(L.circleMarker([lat, lon], {
        pane: this.options.pane, radius: 3, color: '#333', weight: 1, fillColor: '#333', fillOpacity: 1,
        interactive: false,
      }).bindTooltip(el('span', {}, f.properties.name), {
        permanent: true, direction: 'right', className: 'fl-capital', offset: [5, 0],
      }).addTo(this._group));
    }
    if (this._map) this._labels = declutter(this._map, labelled);
    this.fire('drawn');
  },
});

/**
 * Tiles from a tile server, falling back to the offline basemap when they
 * cannot load: after `errors` failed tiles with none loaded, or when no
 * tile has loaded `timeout` ms after the layer was added.
 */
export const Basemap = L.Layer.extend({
  options: {
    url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    attribution: '© OpenStreetMap contributors',
    errors: 3,
    timeout: 6000,
    maxZoom: 18,
    /** Options for the OfflineBasemap (e.g. {lang}). */
    offline: {},
  },

  initialize(options) {
    L.setOptions(this, options);
    this._tiles = L.tileLayer(this.options.url, {
      attribution: this.options.attribution,
      maxZoom: this.options.maxZoom,
      crossOrigin: false,
    });
    this._offline = new OfflineBasemap(this.options.offline);
    this._loaded = 0;
    this._failed = 0;
    this.isOffline = false;
  },

  onAdd(map) {
    this._tiles.on('tileload', this._onLoad, this);
    this._tiles.on('tileerror', this._onError, this);
    this._tiles.addTo(map);
    this._timer = setTimeout(() => { if (!this._loaded) this._goOffline(); }, this.options.timeout);
  },

  /** The tiles credit themselves while they are on the map; this layer credits nothing. */
  getAttribution() {
    return null;
  },

  onRemove() {
    clearTimeout(this._timer);
    this._tiles.off('tileload', this._onLoad, this).off('tileerror', this._onError, this).remove();
    this._offline.remove();
  },

  _onLoad() {
    this._loaded += 1;
  },

  _onError() {
    this._failed += 1;
    if (!this._loaded && this._failed >= this.options.errors) this._goOffline();
  },

  /** Place the offline basemap's labels again (after other layers were drawn). */
  relabel() {
    if (this.isOffline) this._offline.relabel();
  },

  /** Draw the offline basemap instead of the tiles, which are no longer credited. */
  _goOffline() {
    if (this.isOffline || !this._map) return;
    this.isOffline = true;
    clearTimeout(this._timer);
    this._tiles.off('tileload', this._onLoad, this).off('tileerror', this._onError, this).remove();
    this._offline.addTo(this._map);
    this.fire('offline');
  },
});

export const basemap = (options) => new Basemap(options);
