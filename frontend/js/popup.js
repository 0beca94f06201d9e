// The popup of one event, built as DOM (never from HTML strings): date and
// its precision, type, actors, casualties, place and its precision, the
// evidence sentence, links to the sources and to the place page. Type,
// subtype and actor names are the vocabulary's labels.

import { el } from './dom.js';
import { eventHistory } from './api.js';
import { vocabulary } from './vocabulary.js';

/** The popup of a GeoJSON event feature; `t` is the translator of i18n.js. */
export function eventPopup(feature, t) {
  const p = feature.properties;
  const vocab = vocabulary();
  const type = vocab.event(p.type, p.subtype);
  const actor = (name) => vocab.actor(name) ?? t('unknown_actor');
  const rows = [
    [t('date'), `${t.date(p.date, p.date_precision)} (${t.datePrecision(p.date_precision)})`],
    [t('type'), type],
  ];
  // A control change without an actor: the news does not say who took it.
  if (p.actor || p.type !== 'control_change') rows.push([t('actor'), actor(p.actor)]);
  if (p.target) rows.push([t('target'), actor(p.target)]);
  if (p.claimed_by) rows.push([t('claimed_by'), actor(p.claimed_by)]);
  if (p.fatalities != null || p.injured != null) {
    const parts = [];
    if (p.fatalities != null) parts.push(`${t.number(p.fatalities)} ${t('killed')}`);
    if (p.injured != null) parts.push(`${t.number(p.injured)} ${t('injured')}`);
    rows.push([t('casualties'), parts.join(', ')]);
  }
  const precision = p.precision === 'exact' ? t.precision(p.precision)
    : `${t.precision(p.precision)}, ${t('radius')} ≈ ${Math.round(p.radius_km)} km`;
  rows.push([t('place'), el('span', {},
    el('a', { href: placeHref(p.place_id, t.lang), class: 'fl-place-link' }, p.place),
    ` (${precision})`)]);

  const sources = (p.sources || []).map((s, i) => {
    const label = s.title || s.source || `${t('source')} ${i + 1}`;
    const meta = [s.source && s.title ? s.source : null, s.published].filter(Boolean).join(', ');
    return el('li', {},
      s.url ? el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, label) : label,
      meta ? ` — ${meta}` : '');
  });

  return el('div', { class: 'fl-popup', dataset: { event: String(p.id) } },
    // The focus goes here when the popup is opened from the keyboard.
    el('h3', { tabindex: -1 }, type),
    verified(p, t),
    el('dl', {}, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('blockquote', { class: 'fl-evidence', lang: 'fr' }, p.evidence),
    sources.length ? el('div', { class: 'fl-sources' }, el('strong', {}, `${t('sources')} (${sources.length})`), el('ul', {}, sources)) : null,
    el('p', {}, el('a', { href: placeHref(p.place_id, t.lang) }, `${t('place_page')} →`)),
    reviewHistory(p.id, t));
}

/** One change of an event's review history, as a line of text. */
export function historyLine(h) {
  const note = h.note ? ` (« ${h.note} »)` : '';
  return `${h.at} · ${h.reviewer} · ${h.field} : ${h.before ?? '—'} → ${h.after ?? '—'}${note}`;
}

/**
 * For editors (the page header links them to /review): the event's review
 * history, loaded when first opened.
 */
function reviewHistory(id, t) {
  if (!document.querySelector('.fl-review-link')) return null;
  const list = el('ul', {});
  const box = el('details', { class: 'fl-history' }, el('summary', {}, t('review_history')), list);
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    try {
      const history = await eventHistory(id);
      list.replaceChildren(...(history.length ? history.map((h) => el('li', {}, historyLine(h))) : [el('li', {}, t('no_review'))]));
      list.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      list.replaceChildren(el('li', {}, e.message));
      delete box.dataset.loaded;
    }
  });
  return box;
}

/** The "vérifié" mark of an event a human accepted or corrected, with the
 * day of that check. */
export function verified(p, t) {
  if ((p.review !== 'accepted' && p.review !== 'edited') || !p.reviewed_at) return null;
  const day = String(p.reviewed_at).slice(0, 10);
  const word = t.lang === 'en' ? 'verified' : 'vérifié';
  return el('p', { class: 'fl-verified' }, `✔ ${word} (${t.date(day, 'day')})`);
}

export function placeHref(id, lang) {
  return `/places/${encodeURIComponent(id)}${lang === 'en' ? '?lang=en' : ''}`;
}
