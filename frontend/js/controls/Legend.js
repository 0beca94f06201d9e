// What the icons and colours mean: event types (icons, in a part that
// folds away), and, whenever the control layers are on, the sides holding
// places as of the slider's date, contested, unknown, stale and the front
// line (always shown, even when the rest is folded). Types, subtypes and
// actors, with their labels and colours, come from the vocabulary.

import { L } from '../leaflet.js';
import { el } from '../dom.js';
import { vocabulary } from '../vocabulary.js';
import { withContrast } from '../contrast.js';
import {
  actorColour, CONTESTED_COLOUR, FRONT_CASING, FRONT_COLOUR, iconSvg, SMALL_SCREEN, typeColour, UNKNOWN_COLOUR,
} from '../style.js';

function icon(key, colour) {
  const span = el('span', { class: 'fl-legend-icon' });
  // Our own constant SVG; no data goes into it.
  span.innerHTML = iconSvg(key, colour);
  return span;
}

function swatch(colour, cls = '') {
  const s = el('span', { class: `fl-swatch ${cls}` });
  s.style.background = colour;
  // Edged as the map's areas and points are.
  s.style.borderColor = withContrast(colour);
  return s;
}

/**
 * One item per event type (its icon and plural label), with, under it,
 * the subtypes drawn with an icon of their own.
 */
/** A short bold line on its casing, as front lines are drawn. */
function frontSwatch() {
  const s = el('span', { class: 'fl-swatch fl-front-swatch' });
  s.style.background = FRONT_COLOUR;
  s.style.boxShadow = `0 0 0 2px ${FRONT_CASING}`;
  return s;
}

function typeItems(vocab) {
  return vocab.types.map((type) => {
    const colour = typeColour(type.key);
    const own = vocab.subtypesOf(type.key).filter((s) => s.icon && s.icon !== type.icon);
    return el('li', { dataset: { type: type.key } },
      icon(type.icon, colour), type.plural,
      own.length ? el('ul', { class: 'fl-legend-subtypes' }, own.map((s) => el('li', { dataset: { subtype: s.key } },
        icon(s.icon, colour), s.plural))) : null);
  });
}

export const Legend = L.Control.extend({
  options: {
    position: 'bottomright',
    /** Translator from i18n.js (the interface's words). */
    t: null,
    collapsed: false,
  },

  onAdd() {
    const { t } = this.options;
    this._actors = el('ul', { class: 'fl-legend-actors' });
    // The types fold away (and open as a sheet on phones); the sides show
    // whenever the control layers are on, folded or not.
    const types = el('details', { class: 'fl-legend-details fl-sheet', open: !this.options.collapsed },
      el('summary', {}, t('legend')),
      el('div', { class: 'fl-sheet-body' },
        el('ul', { class: 'fl-legend-types' }, typeItems(vocabulary())),
        el('p', { class: 'fl-legend-note' }, t.lang === 'en' ? 'Icon size grows with fatalities.' : 'La taille croît avec le nombre de morts.')));
    this._sides = el('div', { class: 'fl-legend-sides', hidden: true },
      this._actors,
      el('ul', { class: 'fl-legend-status' },
        el('li', { class: 'fl-legend-front' }, frontSwatch(), t('front_line')),
        el('li', {}, swatch(CONTESTED_COLOUR), t('contested')),
        el('li', {}, swatch(UNKNOWN_COLOUR), t('unknown')),
        el('li', {}, swatch('#bbb', 'fl-stale'), t('stale'))));
    // On a phone the corner panel must stay small: the sides go into the
    // sheet with the types, shown when it is opened.
    const small = window.matchMedia(SMALL_SCREEN).matches;
    if (small) types.querySelector('.fl-sheet-body').append(this._sides);
    const box = el('div', { class: 'fl-panel fl-legend' }, types, ...(small ? [] : [this._sides]));
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    this._box = box;
    this._fit = () => this._fitHeight();
    types.addEventListener('toggle', this._fit);
    this._map.on('resize', this._fit);
    requestAnimationFrame(this._fit);
    return box;
  },

  onRemove(map) {
    map.off('resize', this._fit);
  },

  /** Keep the legend below the controls above it (it scrolls when there is not enough room). */
  _fitHeight() {
    if (!this._map || !this._box) return;
    // Drawn as a sheet on small screens (frontline.css): no height of its own.
    if (window.matchMedia(SMALL_SCREEN).matches) {
      this._box.style.maxHeight = '';
      return;
    }
    const corner = this._box.parentElement;
    const above = corner?.parentElement?.querySelector(`.leaflet-top.${corner.classList.contains('leaflet-left') ? 'leaflet-left' : 'leaflet-right'}`);
    const mapBox = this._map.getContainer().getBoundingClientRect();
    const top = above ? Math.max(mapBox.top, above.getBoundingClientRect().bottom) : mapBox.top;
    const room = this._box.getBoundingClientRect().bottom - top - 10;
    this._box.style.maxHeight = `${Math.max(80, Math.floor(room))}px`;
  },

  /** Show the sides and the control symbols (when a control layer is on). */
  showSides(on) {
    this._sides.hidden = !on;
    this._fitHeight();
  },

  /** List these actors (the sides on the map now) with their colours. */
  setActors(actors) {
    const vocab = vocabulary();
    const named = actors.filter(Boolean).map((a) => ({ name: a, label: vocab.actor(a) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    this._actors.replaceChildren(...named.map((a) => el('li', { dataset: { actor: a.name } }, swatch(actorColour(a.name)), a.label)));
    this._fitHeight();
  },
});
