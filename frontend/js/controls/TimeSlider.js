// The date that the control layer shows, with play/pause to watch the
// front lines move. Fires `input` while dragging and `change` when the
// date is settled (and at each step while playing). The slider is a native
// range input: arrow keys move a day, Page Up/Down a month, Home/End to the
// ends. Drawn in a map corner, or in `parent` (the bar under the map).

import { L } from '../leaflet.js';
import { el } from '../dom.js';
import { fromDay, toDay } from '../dates.js';

export const TimeSlider = L.Control.extend({
  includes: L.Evented.prototype,

  options: {
    position: 'bottomleft',
    t: null,
    /** An element to draw into instead of a map corner (e.g. under the map). */
    parent: null,
    /** First and last dates (YYYY-MM-DD). */
    min: '2011-03-15',
    max: '2025-12-31',
    /** Starting date; defaults to max. */
    value: null,
    /** Days advanced per step while playing. */
    step: 14,
    /** Milliseconds between steps while playing. */
    interval: 700,
  },

  addTo(map) {
    if (!this.options.parent) return L.Control.prototype.addTo.call(this, map);
    this.remove();
    this._map = map;
    this._container = this.onAdd(map);
    this.options.parent.append(this._container);
    return this;
  },

  remove() {
    if (this.options.parent && this._container) {
      this._container.remove();
      this.onRemove(this._map);
      this._map = null;
      return this;
    }
    return L.Control.prototype.remove.call(this);
  },

  onAdd() {
    const { t } = this.options;
    const id = `fl-at-${L.Util.stamp(this)}`;
    this._range = el('input', { type: 'range', name: 'at', id, 'aria-label': t('as_of') });
    this._range.addEventListener('keydown', (e) => this._key(e));
    this._label = el('output', { class: 'fl-at', for: id, 'aria-live': 'off' });
    this._button = el('button', { type: 'button', class: 'fl-play', 'aria-label': t('play'), title: t('play') }, '▶');
    this.setRange(this.options.min, this.options.max, this.options.value || this.options.max);
    this._range.addEventListener('input', () => { this._show(); this.fire('input', { at: this.value() }); });
    this._range.addEventListener('change', () => this.fire('change', { at: this.value() }));
    this._button.addEventListener('click', () => (this._timer ? this.pause() : this.play()));
    const box = el('div', { class: 'fl-panel fl-slider', role: 'group', 'aria-label': t('as_of') },
      el('label', { class: 'fl-slider-title', for: id }, t('as_of')), this._button, this._range, this._label);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },

  onRemove() {
    this.pause();
  },

  setRange(min, max, value) {
    this._range.min = String(toDay(min));
    this._range.max = String(toDay(max));
    this._range.step = '1';
    this.setValue(value || max);
  },

  value() {
    return fromDay(Number(this._range.value));
  },

  setValue(iso, notify = false) {
    this._range.value = String(toDay(iso));
    this._show();
    if (notify) this.fire('change', { at: this.value() });
  },

  play() {
    const { t } = this.options;
    if (Number(this._range.value) >= Number(this._range.max)) this._range.value = this._range.min;
    this._button.textContent = '⏸';
    this._button.setAttribute('aria-label', t('pause'));
    this._button.title = t('pause');
    this._container.classList.add('fl-playing');
    this._timer = setInterval(() => {
      const next = Math.min(Number(this._range.value) + this.options.step, Number(this._range.max));
      this._range.value = String(next);
      this._show();
      this.fire('change', { at: this.value() });
      if (next >= Number(this._range.max)) this.pause();
    }, this.options.interval);
  },

  pause() {
    if (!this._timer) return;
    clearInterval(this._timer);
    this._timer = null;
    this._button.textContent = '▶';
    this._button.setAttribute('aria-label', this.options.t('play'));
    this._button.title = this.options.t('play');
    this._container?.classList.remove('fl-playing');
  },

  _show() {
    const text = this.options.t.date(this.value(), 'day');
    this._label.value = text;
    this._label.textContent = text;
    // Screen readers announce the date rather than a day number.
    this._range.setAttribute('aria-valuetext', text);
  },

  /** Page Up/Down move a month (the browser moves a day per arrow key). */
  _key(e) {
    if (e.key !== 'PageUp' && e.key !== 'PageDown') return;
    e.preventDefault();
    const r = this._range;
    const next = Number(r.value) + (e.key === 'PageUp' ? 30 : -30);
    r.value = String(Math.min(Number(r.max), Math.max(Number(r.min), next)));
    this._show();
    this.fire('input', { at: this.value() });
    this.fire('change', { at: this.value() });
  },
});
