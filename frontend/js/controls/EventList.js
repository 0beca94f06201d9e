// The events in view as a list, for readers who do not use the map's
// markers (keyboard, screen readers, small screens): the most recent
// first, each a button that opens the event's popup. Fires `select` with
// {point}. The caller gives the points with setPoints() whenever the view
// or the filters change.

import { L } from '../leaflet.js';
import { el } from '../dom.js';

export const EventList = L.Control.extend({
  includes: L.Evented.prototype,

  options: {
    position: 'topright',
    /** Translator from i18n.js. */
    t: null,
    /** How to name a point (EventLayer.label). */
    label: (p) => String(p.id),
    /** At most this many items (the most recent). */
    max: 100,
    collapsed: true,
  },

  onAdd() {
    const { t } = this.options;
    this._count = el('span', { class: 'fl-list-count' });
    this._note = el('p', { class: 'fl-list-note', 'aria-live': 'polite' });
    this._list = el('ul', { class: 'fl-list', 'aria-label': t('list_title') });
    const box = el('details', { class: 'fl-panel fl-events-list fl-sheet', open: !this.options.collapsed },
      el('summary', {}, t('list'), ' ', this._count),
      el('div', { class: 'fl-sheet-body' }, el('h2', { class: 'fl-list-title' }, t('list_title')), this._note, this._list));
    // The list is built only while it is open.
    box.addEventListener('toggle', () => { if (box.open) this._render(); });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    this._box = box;
    this._points = [];
    return box;
  },

  /** The points in view (any order). */
  setPoints(points) {
    this._points = points;
    this._count.textContent = `(${this.options.t.number(points.length)})`;
    if (this._box?.open) this._render();
  },

  _render() {
    const { t, max } = this.options;
    const sorted = [...this._points].sort((a, b) => (b.date || '').localeCompare(a.date || '') || b.id - a.id);
    const shown = sorted.slice(0, max);
    this._list.replaceChildren(...shown.map((p) => {
      const button = el('button', { type: 'button', class: 'fl-list-item', dataset: { event: String(p.id) } }, this.options.label(p));
      button.addEventListener('click', () => this.fire('select', { point: p }));
      return el('li', {}, button);
    }));
    this._note.textContent = !sorted.length ? t('list_empty')
      : sorted.length > max ? t('list_more').replace('{n}', t.number(max)) : '';
  },
});
