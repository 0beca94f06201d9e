// Administrative boundaries a user loaded with `frontline serve
// --boundaries FILE.geojson` (geoBoundaries, OCHA…), drawn as thin lines
// with their names on hover.

import { L } from '../leaflet.js';
import { boundaries } from '../api.js';
import { el } from '../dom.js';

/** Property names that usually hold an admin unit's name. */
const NAME_KEYS = ['name', 'shapeName', 'ADM1_FR', 'ADM1_EN', 'admin1Name_en', 'NAME_1', 'NAME'];

export const BoundariesLayer = L.Layer.extend({
  options: {
    color: '#5c4d7d',
    weight: 1.2,
    dashArray: '4 3',
  },

  initialize(options) {
    L.setOptions(this, options);
    this._group = L.layerGroup();
  },

  onAdd(map) {
    this._group.addTo(map);
    if (!this._requested) this._load();
  },

  onRemove() {
    this._group.remove();
  },

  async _load() {
    this._requested = true;
    try {
      const fc = await boundaries();
      const o = this.options;
      L.geoJSON(fc, {
        style: { color: o.color, weight: o.weight, dashArray: o.dashArray, fill: true, fillOpacity: 0, className: 'fl-boundary' },
        onEachFeature: (f, layer) => {
          const props = f.properties || {};
          const key = NAME_KEYS.find((k) => typeof props[k] === 'string');
          if (key) layer.bindTooltip(el('span', {}, props[key]), { sticky: true });
        },
      }).addTo(this._group);
      this.fire('loaded', { count: fc.features?.length || 0 });
    } catch (error) {
      this.fire('error', { error });
    }
  },
});

export const boundariesLayer = (options) => new BoundariesLayer(options);
