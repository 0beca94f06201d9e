// The "live" badge: whether new events arrive without reloading
// (`live`), are being connected (`connecting`, `reconnecting`), and how
// many came since the page opened.

import { L } from '../leaflet.js';
import { el } from '../dom.js';

export const LiveIndicator = L.Control.extend({
  options: { position: 'topright' },

  initialize({ t, ...options }) {
    L.setOptions(this, options);
    this._t = t;
    this._count = 0;
  },

  onAdd() {
    this._dot = el('span', { class: 'fl-live-dot', 'aria-hidden': 'true' });
    this._label = el('span', { class: 'fl-live-label' }, this._t('live_connecting'));
    this._badge = el('span', { class: 'fl-live-count' });
    this._div = el('div', { class: 'fl-panel fl-live', role: 'status', title: this._t('live_title'), dataset: { state: 'connecting' } },
      this._dot, this._label, this._badge);
    return this._div;
  },

  /** 'connecting' | 'live' | 'reconnecting' | 'off'. */
  setState(state) {
    if (!this._div) return;
    this._div.dataset.state = state;
    const key = state === 'live' ? 'live' : `live_${state}`;
    this._label.textContent = state === 'off' ? '' : this._t(key);
  },

  /** One more event arrived live. */
  count() {
    this._count += 1;
    if (this._badge) this._badge.textContent = ` +${this._count}`;
  },
});
