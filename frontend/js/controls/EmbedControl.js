// The "Intégrer" button: a dialog with ready <iframe> code for the current
// view, with its size and the controls the embedded map shows, and the
// same view as an image to download (PNG or SVG, drawn by the server:
// /static.png and /static.svg take the embed link's parameters).

import { L } from '../leaflet.js';
import { el, escapeHtml } from '../dom.js';
import { CONTROLS, stateQuery } from '../state.js';

/** An absolute base URL; a protocol-relative one gets https. */
export function absoluteBase(base) {
  let b = String(base || window.location.origin).trim().replace(/\/+$/, '');
  if (b.startsWith('//')) b = `https:${b}`;
  if (!/^https?:\/\//.test(b)) b = `https://${b}`;
  return b;
}

/** The URL of the static image (`png` or `svg`) of a state, same origin. */
export function imageUrl(state, format, width, height) {
  const q = stateQuery(state, { includeEvent: false });
  return `/static.${format}?${q}&w=${Number(width)}&h=${Number(height)}`;
}

/** The <iframe> code for a state. */
export function iframeCode({ base, state, width, height, title }) {
  const src = `${absoluteBase(base)}/embed?${stateQuery(state, { embed: true })}`;
  return `<iframe src="${escapeHtml(src)}" width="${Number(width)}" height="${Number(height)}"`
    + ` title="${escapeHtml(title)}" style="border:0" loading="lazy" allowfullscreen`
    + ` referrerpolicy="strict-origin-when-cross-origin"></iframe>`;
}

export const EmbedControl = L.Control.extend({
  options: {
    position: 'topright',
    t: null,
    /** Public base URL of the site (from the server's configuration). */
    base: '',
    /** Function returning the current view's state (state.js). */
    state: null,
    width: 800,
    height: 500,
    /** Controls checked at first; scroll-wheel zoom is off by default. */
    controls: ['zoom', 'legend'],
    wheel: false,
  },

  onAdd() {
    const { t } = this.options;
    const button = el('button', { type: 'button', class: 'fl-embed-button', 'aria-haspopup': 'dialog' }, t('embed'));
    button.addEventListener('click', () => this.open());
    const box = el('div', { class: 'leaflet-bar fl-embed' }, button);
    L.DomEvent.disableClickPropagation(box);
    return box;
  },

  onRemove() {
    this._dialog?.remove();
    this._dialog = null;
  },

  open() {
    if (!this._dialog) this._dialog = this._build();
    this._update();
    this._dialog.showModal();
  },

  _build() {
    const { t } = this.options;
    this._width = el('input', { type: 'number', name: 'width', min: 200, max: 2000, value: this.options.width });
    this._height = el('input', { type: 'number', name: 'height', min: 150, max: 2000, value: this.options.height });
    this._boxes = new Map();
    const labels = { zoom: t('zoom'), layers: t('layers'), filters: t('filters'), timeline: t('timeline'), legend: t('legend') };
    const checks = CONTROLS.map((c) => {
      const b = el('input', { type: 'checkbox', name: `ctl-${c}`, checked: this.options.controls.includes(c) });
      this._boxes.set(c, b);
      return el('label', {}, b, ` ${labels[c]}`);
    });
    this._wheel = el('input', { type: 'checkbox', name: 'wheel', checked: this.options.wheel });
    // Only what analysts checked (review=accepted), as the map shows now.
    this._checked = el('input', { type: 'checkbox', name: 'review', checked: this.options.state().review === 'accepted' });
    this._code = el('textarea', { readonly: true, rows: 5, name: 'code', class: 'fl-embed-code' });
    this._preview = el('a', { target: '_blank', rel: 'noopener', class: 'fl-embed-preview' }, t('preview'));
    const copy = el('button', { type: 'button', class: 'fl-copy' }, t('copy'));
    copy.addEventListener('click', async () => {
      this._code.select();
      try {
        await navigator.clipboard.writeText(this._code.value);
      } catch {
        document.execCommand?.('copy');
      }
      copy.textContent = t('copied');
      setTimeout(() => { copy.textContent = t('copy'); }, 1500);
    });
    this._png = el('a', { class: 'fl-download fl-download-png', download: 'frontline.png' }, t('download_png'));
    this._svg = el('a', { class: 'fl-download fl-download-svg', download: 'frontline.svg' }, t('download_svg'));
    const close = el('button', { type: 'button', class: 'fl-close' }, t('close'));
    const dialog = el('dialog', { class: 'fl-embed-dialog', 'aria-label': t('embed_title') },
      el('h2', {}, t('embed_title')),
      el('div', { class: 'fl-embed-size' },
        el('label', {}, `${t('width')} `, this._width), ' ',
        el('label', {}, `${t('height')} `, this._height)),
      el('fieldset', {}, el('legend', {}, t('controls')), checks, el('label', {}, this._wheel, ` ${t('wheel')}`)),
      el('label', { class: 'fl-embed-review' }, this._checked, ` ${t('checked_only')}`),
      el('label', { class: 'fl-code-label' }, t('code'), this._code),
      el('p', { class: 'fl-embed-download' }, `${t('download')}${t.lang === 'en' ? ':' : ' :'}`, this._png, ' ', this._svg),
      el('div', { class: 'fl-embed-actions' }, copy, ' ', this._preview, ' ', close));
    for (const i of [this._width, this._height, this._wheel, this._checked, ...this._boxes.values()]) {
      i.addEventListener('input', () => this._update());
      i.addEventListener('change', () => this._update());
    }
    close.addEventListener('click', () => dialog.close());
    // Back to the button that opened it (Escape and Close alike).
    dialog.addEventListener('close', () => this._container?.querySelector('button')?.focus());
    document.body.append(dialog);
    return dialog;
  },

  _update() {
    const { t } = this.options;
    const state = {
      ...this.options.state(),
      event: null,
      controls: [...this._boxes].filter(([, b]) => b.checked).map(([k]) => k),
      wheel: this._wheel.checked,
      review: this._checked.checked ? 'accepted' : null,
    };
    const clamp = (v, lo, hi, d) => (Number.isFinite(+v) && +v > 0 ? Math.min(hi, Math.max(lo, Math.round(+v))) : d);
    const width = clamp(this._width.value, 200, 2000, 800);
    const height = clamp(this._height.value, 150, 2000, 500);
    const code = iframeCode({ base: this.options.base, state, width, height, title: t('title') });
    this._png.href = imageUrl(state, 'png', width, height);
    this._svg.href = imageUrl(state, 'svg', width, height);
    this._code.value = code;
    this._preview.href = `${absoluteBase(this.options.base)}/embed?${stateQuery(state, { embed: true })}`;
  },
});
