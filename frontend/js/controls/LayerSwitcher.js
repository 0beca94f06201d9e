// A list of checkboxes, one per layer; fires `change` with the keys on.

import { L } from '../leaflet.js';
import { el } from '../dom.js';

export const LayerSwitcher = L.Control.extend({
  includes: L.Evented.prototype,

  options: {
    position: 'topright',
    /** [{key, label, swatch?: DOM node}] in display order. */
    items: [],
    /** Keys checked at start. */
    active: [],
    title: 'Layers',
    /** Start folded into a button. */
    collapsed: false,
  },

  onAdd() {
    const o = this.options;
    this._boxes = new Map();
    const list = el('div', { class: 'fl-layer-list', role: 'group', 'aria-label': o.title });
    for (const item of o.items) {
      const box = el('input', { type: 'checkbox', name: item.key, checked: o.active.includes(item.key) });
      box.addEventListener('change', () => this.fire('change', { active: this.active() }));
      this._boxes.set(item.key, box);
      list.append(el('label', { class: 'fl-layer', dataset: { layer: item.key } }, box, item.swatch || null, ` ${item.label}`));
    }
    const details = el('details', { class: 'fl-panel fl-layers fl-sheet', open: !o.collapsed },
      el('summary', {}, o.title), el('div', { class: 'fl-sheet-body' }, list));
    L.DomEvent.disableClickPropagation(details);
    L.DomEvent.disableScrollPropagation(details);
    return details;
  },

  onRemove() {
    this._boxes = null;
  },

  active() {
    return [...this._boxes].filter(([, b]) => b.checked).map(([k]) => k);
  },
});
