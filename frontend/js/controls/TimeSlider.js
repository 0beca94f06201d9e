// The date that the control layer shows, with play/pause to watch the
// front lines move. Fires `input` while dragging and `change` when the
// date is settled (and at each step while playing).

import { L } from '../leaflet.js';
import { el } from '../dom.js';
import { fromDay, toDay } from '../dates.js';

export const TimeSlider = L.Control.extend({
  includes: L.Evented.prototype,

  options: {
    position: 'bottomleft',
    t: null,
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

  onAdd() {
    const { t } = this.options;
    this._range = el('input', { type: 'range', name: 'at', 'aria-label': t('as_of') });
    this._label = el('output', { class: 'fl-at' });
    this._button = el('button', { type: 'button', class: 'fl-play', 'aria-label': t('play') }, '▶');
    this.setRange(this.options.min, this.options.max, this.options.value || this.options.max);
    this._range.addEventListener('input', () => { this._show(); this.fire('input', { at: this.value() }); });
    this._range.addEventListener('change', () => this.fire('change', { at: this.value() }));
    this._button.addEventListener('click', () => (this._timer ? this.pause() : this.play()));
    const box = el('div', { class: 'fl-panel fl-slider' },
      el('span', { class: 'fl-slider-title' }, t('as_of')), this._button, this._range, this._label);
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
    this._container?.classList.remove('fl-playing');
  },

  _show() {
    this._label.value = this.options.t.date(this.value(), 'day');
    this._label.textContent = this._label.value;
  },
});
