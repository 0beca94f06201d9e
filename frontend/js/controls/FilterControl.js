// Filters: subtypes, actors, date range and text. Fires `change` with
// {sub, actors, from, to, q, conf} whenever one changes (text on Enter/blur).
// Subtypes and actor names come from the vocabulary. Dates are typed as
// the page's language writes them (dd/mm/yyyy; YYYY-MM-DD is read too),
// whatever the browser's language, and kept as YYYY-MM-DD.

import { L } from '../leaflet.js';
import { el } from '../dom.js';
import { parseDate } from '../i18n.js';
import { vocabulary } from '../vocabulary.js';

/** The vocabulary's subtypes, under the type they belong to (each offered once). */
function subtypeGroups(vocab) {
  const seen = new Set();
  return vocab.types.map((type) => ({
    type: type.key,
    label: type.plural,
    subtypes: vocab.subtypesOf(type.key).filter((s) => !seen.has(s.key) && seen.add(s.key))
      .map((s) => ({ key: s.key, label: s.plural })),
  })).filter((g) => g.subtypes.length);
}

/** The reliability levels offered: the least confidence kept, and its label's key. */
const CONFIDENCE_LEVELS = [[0, 'conf_all'], [0.7, 'conf_likely'], [0.8, 'conf_sure']];

export const FilterControl = L.Control.extend({
  includes: L.Evented.prototype,

  options: {
    position: 'topleft',
    /** Translator from i18n.js (the interface's words). */
    t: null,
    /**
     * Subtypes offered, under their type's heading:
     * [{type, label, subtypes: [{key, label}]}]; null: the vocabulary's.
     */
    subtypes: null,
    /** Initial values. */
    value: { sub: [], actors: [], from: null, to: null, q: '', conf: 0 },
    collapsed: false,
  },

  onAdd() {
    const { t, value } = this.options;
    this._sub = new Map();
    const subs = el('div', { class: 'fl-subtypes' });
    for (const group of this.options.subtypes ?? subtypeGroups(vocabulary())) {
      subs.append(el('span', { class: 'fl-subtype-group', dataset: { type: group.type } }, group.label));
      for (const s of group.subtypes) {
        const box = el('input', { type: 'checkbox', name: `sub-${s.key}`, checked: value.sub.includes(s.key) });
        box.addEventListener('change', () => this._changed());
        this._sub.set(s.key, box);
        subs.append(el('label', {}, box, ` ${s.label}`));
      }
    }
    this._actors = el('select', { name: 'actors', multiple: true, size: 6, 'aria-label': t('actors') });
    this._actors.addEventListener('change', () => this._changed());
    const hint = `fl-date-hint-${L.Util.stamp(this)}`;
    this._from = this._dateField('from', value.from, hint);
    this._to = this._dateField('to', value.to, hint);
    this._q = el('input', { type: 'search', name: 'q', placeholder: t('search'), value: value.q || '', 'aria-label': t('text') });
    this._q.addEventListener('change', () => this._changed());
    // The extractor's confidence: every event, or only the surer ones.
    this._conf = el('select', { name: 'conf', 'aria-label': t('reliability') },
      ...CONFIDENCE_LEVELS.map(([level, key]) => el('option', { value: String(level), selected: level === (value.conf || 0) }, t(key))));
    this._conf.addEventListener('change', () => this._changed());
    this.setActors(value.actors);
    const reset = el('button', { type: 'button', class: 'fl-reset' }, t('reset'));
    reset.addEventListener('click', () => this.setValue({ sub: [], actors: [], from: null, to: null, q: '', conf: 0 }, true));
    this._count = el('div', { class: 'fl-count', 'aria-live': 'polite' });
    const details = el('details', { class: 'fl-panel fl-filters fl-sheet', open: !this.options.collapsed },
      el('summary', {}, t('filters')),
      el('div', { class: 'fl-sheet-body' },
        el('fieldset', {}, el('legend', {}, t('types')), subs),
        el('fieldset', {}, el('legend', {}, t('actors')), this._actors),
        el('fieldset', { class: 'fl-dates' }, el('legend', {}, t('period')),
          el('label', {}, `${t('from')} `, this._from), ' ', el('label', {}, `${t('to')} `, this._to),
          el('span', { id: hint, class: 'fl-date-hint' }, t('date_format'))),
        el('fieldset', {}, el('legend', {}, t('text')), this._q),
        el('fieldset', {}, el('legend', {}, t('reliability')), this._conf),
        reset, this._count));
    L.DomEvent.disableClickPropagation(details);
    L.DomEvent.disableScrollPropagation(details);
    return details;
  },

  /** Offer these actors ([name] or [{name, count}]), keeping the selection. */
  setActors(actors) {
    const { t } = this.options;
    const vocab = vocabulary();
    const selected = new Set(this._actors ? this.value().actors : this.options.value.actors);
    for (const a of this.options.value.actors) selected.add(a);
    const names = actors.map((a) => (typeof a === 'string' ? { name: a } : a));
    for (const s of selected) if (!names.some((n) => n.name === s)) names.push({ name: s });
    this._actors.replaceChildren(...names.map((a) => el('option', { value: a.name, selected: selected.has(a.name) },
      a.count ? `${vocab.actor(a.name)} (${t.number(a.count)})` : vocab.actor(a.name))));
  },

  value() {
    return {
      sub: [...this._sub].filter(([, b]) => b.checked).map(([k]) => k),
      actors: [...this._actors.selectedOptions].map((o) => o.value),
      from: this._from.dataset.iso || null,
      to: this._to.dataset.iso || null,
      q: this._q.value.trim(),
      conf: Number(this._conf.value) || 0,
    };
  },

  /**
   * A text field for a date in the page's format. A complete date applies
   * as soon as it is typed; on leaving the field it is rewritten in the
   * page's format; a date that cannot be read is marked invalid and left
   * out. An emptied field clears that end of the range.
   */
  _dateField(name, iso, hint) {
    const { t } = this.options;
    const input = el('input', {
      type: 'text', name, inputmode: 'numeric', autocomplete: 'off', size: 10, maxlength: 10,
      placeholder: t('date_format'), 'aria-describedby': hint, value: t.numericDate(iso),
    });
    input.dataset.iso = iso || '';
    const read = (final) => {
      const text = input.value.trim();
      const parsed = text ? parseDate(text) : '';
      if (parsed === null) {
        if (final) { input.setAttribute('aria-invalid', 'true'); input.title = t('bad_date'); }
        return;
      }
      input.removeAttribute('aria-invalid');
      input.removeAttribute('title');
      if (final && parsed) input.value = t.numericDate(parsed);
      if (parsed !== input.dataset.iso) {
        input.dataset.iso = parsed;
        this._changed();
      }
    };
    input.addEventListener('input', () => read(false));
    input.addEventListener('change', () => read(true));
    return input;
  },

  /** Set the fields (e.g. from the timeline brush); `notify` fires change. */
  setValue(v, notify = false) {
    if (v.sub) for (const [k, b] of this._sub) b.checked = v.sub.includes(k);
    if (v.actors) for (const o of this._actors.options) o.selected = v.actors.includes(o.value);
    const { t } = this.options;
    for (const [key, input] of [['from', this._from], ['to', this._to]]) {
      if (!(key in v)) continue;
      input.dataset.iso = v[key] || '';
      input.value = t.numericDate(v[key]);
      input.removeAttribute('aria-invalid');
    }
    if ('q' in v) this._q.value = v.q || '';
    if ('conf' in v) this._conf.value = String(v.conf || 0);
    if (notify) this._changed();
  },

  setCount(shown, total) {
    const { t } = this.options;
    this._count.textContent = `${t.number(shown)} ${t('events_shown')} ${t('of')} ${t.number(total)}`;
  },

  _changed() {
    this.fire('change', this.value());
  },
});
