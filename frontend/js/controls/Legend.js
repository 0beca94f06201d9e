// What the icons and colours mean: event types (icons), the sides holding
// places as of the slider's date, contested, unknown and stale.

import { L } from '../leaflet.js';
import { el } from '../dom.js';
import { actorColour, CONTESTED_COLOUR, iconSvg, TYPE_COLOURS, UNKNOWN_COLOUR } from '../style.js';

const ICONS = [
  ['strike', 'air'], ['strike', 'drone'], ['strike', 'artillery'], ['strike', 'missile'],
  ['explosion', null], ['clash', null], ['civilian_targeting', null], ['control_change', null],
];

function icon(type, subtype) {
  const span = el('span', { class: 'fl-legend-icon' });
  // Our own constant SVG; no data goes into it.
  span.innerHTML = iconSvg(type, subtype, TYPE_COLOURS[type]);
  return span;
}

function swatch(colour, cls = '') {
  const s = el('span', { class: `fl-swatch ${cls}` });
  s.style.background = colour;
  return s;
}

export const Legend = L.Control.extend({
  options: {
    position: 'bottomright',
    t: null,
    collapsed: false,
  },

  onAdd() {
    const { t } = this.options;
    this._actors = el('ul', { class: 'fl-legend-actors' });
    const types = el('ul', { class: 'fl-legend-types' }, ICONS.map(([type, sub]) => el('li', {}, icon(type, sub),
      sub ? `${t.type(type)} ${t.subtype(sub)}` : t.type(type))));
    const box = el('details', { class: 'fl-panel fl-legend', open: !this.options.collapsed },
      el('summary', {}, t('legend')),
      types,
      el('p', { class: 'fl-legend-note' }, t.lang === 'en' ? 'Icon size grows with fatalities.' : 'La taille croît avec le nombre de morts.'),
      this._actors,
      el('ul', { class: 'fl-legend-status' },
        el('li', {}, swatch(CONTESTED_COLOUR), t('contested')),
        el('li', {}, swatch(UNKNOWN_COLOUR), t('unknown')),
        el('li', {}, swatch('#bbb', 'fl-stale'), t('stale'))));
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  },

  /** List these actors (the sides on the map now) with their colours. */
  setActors(actors) {
    const { t } = this.options;
    const named = actors.filter(Boolean).sort((a, b) => t.actor(a).localeCompare(t.actor(b)));
    this._actors.replaceChildren(...named.map((a) => el('li', { dataset: { actor: a } }, swatch(actorColour(a)), t.actor(a))));
  },
});
