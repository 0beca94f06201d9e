// The reviewers' page: the queue of events to check, the selected event's
// evidence highlighted in its article, its place on a small map, one-key
// decisions (a accept, r reject, j/k next/previous, e correct) and a
// correction form with gazetteer search. Article text is untrusted: it
// reaches the page only through textContent (el()), never as HTML.

import { el } from './dom.js';
import { L } from './leaflet.js';
import { historyLine } from './popup.js';

const $ = (id) => document.getElementById(id);
const state = { queue: [], index: -1, total: 0, vocab: null, map: null, marker: null };

/** Headers of a state-changing request: JSON, and the CSRF token of the
 * session when the page carries one (cookie sessions). */
function writeHeaders() {
  const h = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) h['X-CSRF-Token'] = meta.content;
  return h;
}

async function api(url, init = {}) {
  const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...init });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const detail = body && (body.errors ? body.errors.map((e) => `${e.field} : ${e.message}`).join(' ; ') : body.detail);
    throw new Error(detail || `${res.status}`);
  }
  return body;
}

function say(text) {
  $('review-status').textContent = text;
}

function label(list, key) {
  const t = (list || []).find((x) => x.key === key || x.name === key);
  return t ? (t.label_fr || t.fr || t.key || t.name) : key;
}

function filters() {
  const p = new URLSearchParams({ limit: '100' });
  for (const id of ['type', 'place', 'from', 'to', 'source', 'status']) {
    const v = $(`f-${id}`).value.trim();
    if (v) p.set(id, v);
  }
  return p;
}

async function loadQueue(keep) {
  const page = await api(`/api/review/queue?${filters()}`);
  state.queue = page.events;
  state.total = page.total;
  $('queue-total').textContent = `(${page.total})`;
  renderQueue();
  select(Math.min(keep ?? 0, state.queue.length - 1));
}

function renderQueue() {
  const list = $('review-queue');
  list.replaceChildren(...state.queue.map((e, i) => el('li', {
    id: `q-${e.id}`,
    class: 'fl-review-item',
    dataset: { index: String(i), review: e.review },
    'aria-selected': 'false',
  },
  el('strong', {}, label(state.vocab?.types, e.type)), ' · ', e.place, ' · ', e.date || 'sans date',
  el('span', { class: 'fl-review-meta' }, ` ${Math.round(e.confidence * 100)} % · ${e.source_count} source(s) · ${e.review}`))));
  if (!state.queue.length) list.append(el('li', {}, 'Aucun événement à relire avec ces filtres.'));
}

function select(i) {
  // Nothing to show: the detail's buttons, map and article go away.
  const empty = i < 0 || i >= state.queue.length;
  $('review-none').hidden = !empty;
  $('review-none').parentElement.dataset.empty = String(empty);
  if (empty) {
    state.index = -1;
    $('review-fields').replaceChildren();
    $('review-article').replaceChildren();
    $('review-history').replaceChildren();
    return;
  }
  state.index = i;
  for (const li of $('review-queue').children) li.setAttribute('aria-selected', String(li.dataset.index === String(i)));
  const item = $(`q-${state.queue[i].id}`);
  if (item) item.scrollIntoView({ block: 'nearest' });
  showEvent(state.queue[i]);
}

function showEvent(e) {
  const rows = [
    ['Type', label(state.vocab?.types, e.type) + (e.subtype ? ` (${label(state.vocab?.subtypes, e.subtype)})` : '')],
    ['Lieu', `${e.place} (${e.place_id}, ${e.precision})`],
    ['Date', `${e.date || '—'} (${e.date_precision})`],
    ['Acteur', e.actor || '—'], ['Cible', e.target || '—'],
    ['Morts / blessés', `${e.fatalities ?? '—'} / ${e.injured ?? '—'}`],
    ['Confiance', `${Math.round(e.confidence * 100)} %`], ['Sources', String(e.source_count)],
    ['Statut', e.review + (e.reviewed_at ? ` (vérifié le ${e.reviewed_at.slice(0, 10)} par ${e.reviewed_by})` : '')],
  ];
  $('review-fields').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  showMap(e);
  showArticle(e).catch((err) => say(`Article illisible : ${err.message}`));
  showHistory(e).catch((err) => say(`Historique illisible : ${err.message}`));
}

function showMap(e) {
  const node = $('review-map');
  if (!L) return;
  if (!state.map) {
    state.map = L.map(node, { keyboard: false }).setView([e.lat, e.lon], 9);
    L.tileLayer(node.dataset.tiles, { attribution: node.dataset.attribution, maxZoom: 18 }).addTo(state.map);
  }
  state.map.invalidateSize();
  if (state.marker) state.marker.remove();
  state.marker = L.circleMarker([e.lat, e.lon], { radius: 8, color: '#b00', weight: 2 }).addTo(state.map);
  state.map.setView([e.lat, e.lon], 9);
}

/** The article's text with every evidence span of this event marked,
 * built from text nodes only. Offsets are in bytes (UTF-8). */
async function showArticle(e) {
  const box = $('review-article');
  const src = (e.source_evidence || [])[0];
  if (!src) {
    box.replaceChildren(el('p', {}, 'Aucune source liée (événement conservé par une décision humaine).'));
    return;
  }
  const { article } = await api(`/api/articles/${encodeURIComponent(src.article_id)}`);
  const bytes = new TextEncoder().encode(article.text || '');
  const dec = new TextDecoder();
  let spans = [];
  try { spans = JSON.parse(src.evidence_spans || '[]'); } catch { spans = []; }
  spans = spans.filter((s) => s.start < s.end && s.end <= bytes.length).sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    parts.push(dec.decode(bytes.slice(at, s.start)));
    parts.push(el('mark', { class: 'fl-evidence' }, dec.decode(bytes.slice(s.start, s.end))));
    at = s.end;
  }
  parts.push(dec.decode(bytes.slice(at)));
  box.replaceChildren(
    el('p', { class: 'fl-review-source' }, article.title || article.name || '', ' — ', article.source || '', ' ', article.published || ''),
    el('div', { class: 'fl-review-text' }, ...parts),
  );
  const mark = box.querySelector('mark');
  if (mark) mark.scrollIntoView({ block: 'nearest' });
}

async function showHistory(e) {
  const { history } = await api(`/api/events/${e.id}/history`);
  $('review-history').replaceChildren(...history.map((h) => el('li', {}, historyLine(h))));
  if (!history.length) $('review-history').append(el('li', {}, 'Aucune modification.'));
}

async function decide(body, done) {
  const e = state.queue[state.index];
  if (!e) return;
  try {
    const updated = await api(`/api/events/${e.id}`, { method: 'PATCH', headers: writeHeaders(), body: JSON.stringify(body) });
    say(`Événement ${e.id} : ${done} (${updated.review}).`);
    await loadQueue(state.index);
  } catch (err) {
    say(`Échec pour l'événement ${e.id} : ${err.message}`);
  }
}

function fillSelect(node, options, value) {
  node.replaceChildren(...options.map(([v, text]) => el('option', { value: v, selected: v === (value ?? '') }, text)));
}

function openEdit() {
  const e = state.queue[state.index];
  if (!e) return;
  const v = state.vocab || { types: [], subtypes: [], actors: [] };
  fillSelect($('e-type'), v.types.map((t) => [t.key, label(v.types, t.key)]), e.type);
  fillSelect($('e-subtype'), [['', '—'], ...v.subtypes.map((s) => [s.key, label(v.subtypes, s.key)])], e.subtype);
  const actors = [['', '—'], ...v.actors.map((a) => [a.name, a.label_fr || a.name])];
  fillSelect($('e-actor'), actors, e.actor);
  fillSelect($('e-target'), actors, e.target);
  $('e-place-q').value = e.place;
  $('e-place-id').value = '';
  $('e-date').value = e.date || '';
  $('e-fatalities').value = e.fatalities ?? '';
  $('e-injured').value = e.injured ?? '';
  $('e-note').value = '';
  $('review-edit').hidden = false;
  $('e-type').focus();
}

/** The fields that differ from the event, as the API takes them. */
function editBody(e) {
  const body = {};
  const text = (id) => $(id).value.trim() || null;
  const num = (id) => ($(id).value === '' ? null : Number($(id).value));
  if ($('e-type').value !== e.type) body.type = $('e-type').value;
  if ((text('e-subtype')) !== (e.subtype ?? null)) body.subtype = text('e-subtype');
  if ($('e-place-id').value) body.place_id = $('e-place-id').value;
  if (text('e-date') !== (e.date ?? null)) body.date = text('e-date');
  for (const f of ['actor', 'target']) if (text(`e-${f}`) !== (e[f] ?? null)) body[f] = text(`e-${f}`);
  for (const f of ['fatalities', 'injured']) if (num(`e-${f}`) !== (e[f] ?? null)) body[f] = num(`e-${f}`);
  if (text('e-note')) body.note = text('e-note');
  return body;
}

let searchTimer = null;
function searchPlaces() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const q = $('e-place-q').value.trim();
    const list = $('e-place-list');
    if (q.length < 2) { list.replaceChildren(); return; }
    try {
      const found = await api(`/api/places?q=${encodeURIComponent(q)}`);
      const places = (found.features || found.places || found.results || []).slice(0, 8);
      list.replaceChildren(...places.map((p, i) => {
        const props = p.properties || p;
        const id = props.id || p.id;
        return el('li', { role: 'option', id: `place-opt-${i}`, tabindex: '-1', dataset: { id, name: props.name } },
          `${props.name} — ${props.admin1 || ''} (${props.kind || ''})`);
      }));
      $('e-place-q').setAttribute('aria-expanded', String(places.length > 0));
    } catch (err) {
      say(`Recherche de lieu impossible : ${err.message}`);
    }
  }, 200);
}

function choosePlace(li) {
  $('e-place-id').value = li.dataset.id;
  $('e-place-q').value = li.dataset.name;
  $('e-place-list').replaceChildren();
  $('e-place-q').setAttribute('aria-expanded', 'false');
  say(`Lieu choisi : ${li.dataset.name} (${li.dataset.id}).`);
  $('e-place-q').focus();
}

function wire() {
  $('review-filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadQueue(0).then(() => say(`${state.total} événement(s) dans la file.`), (err) => say(err.message));
  });
  $('btn-accept').addEventListener('click', () => decide({ status: 'accepted' }, 'accepté'));
  $('btn-reject').addEventListener('click', () => decide({ status: 'rejected' }, 'rejeté'));
  $('btn-edit').addEventListener('click', openEdit);
  $('e-cancel').addEventListener('click', () => { $('review-edit').hidden = true; $('review-queue').focus(); });
  $('review-queue').addEventListener('click', (ev) => {
    const li = ev.target.closest('li[data-index]');
    if (li) select(Number(li.dataset.index));
  });
  $('e-place-q').addEventListener('input', searchPlaces);
  $('e-place-q').addEventListener('keydown', (ev) => {
    const first = $('e-place-list').querySelector('li');
    if (ev.key === 'ArrowDown' && first) { ev.preventDefault(); first.focus(); }
  });
  $('e-place-list').addEventListener('keydown', (ev) => {
    const li = ev.target.closest('li');
    if (!li) return;
    if (ev.key === 'ArrowDown' && li.nextElementSibling) { ev.preventDefault(); li.nextElementSibling.focus(); }
    if (ev.key === 'ArrowUp') { ev.preventDefault(); (li.previousElementSibling || $('e-place-q')).focus(); }
    if (ev.key === 'Enter') { ev.preventDefault(); choosePlace(li); }
  });
  $('e-place-list').addEventListener('click', (ev) => { const li = ev.target.closest('li'); if (li) choosePlace(li); });
  $('review-edit').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const e = state.queue[state.index];
    const body = editBody(e);
    $('review-edit').hidden = true;
    await decide(body, 'corrigé');
    $('review-queue').focus();
  });
  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t.closest && t.closest('input, select, textarea, form#review-edit, form#review-filters')) return;
    const keys = {
      j: () => select(Math.min(state.index + 1, state.queue.length - 1)),
      k: () => select(Math.max(state.index - 1, 0)),
      a: () => decide({ status: 'accepted' }, 'accepté'),
      r: () => decide({ status: 'rejected' }, 'rejeté'),
      e: openEdit,
    };
    const run = keys[ev.key];
    if (run) { ev.preventDefault(); run(); }
  });
}

async function main() {
  wire();
  try {
    state.vocab = await api('/api/vocabulary');
    fillSelect($('f-type'), [['', 'tous'], ...state.vocab.types.map((t) => [t.key, label(state.vocab.types, t.key)])], '');
  } catch (err) {
    say(`Vocabulaire indisponible : ${err.message}`);
  }
  await loadQueue(0).catch((err) => say(`File indisponible : ${err.message}`));
  $('review-queue').focus();
  say(`${state.total} événement(s) dans la file.`);
}

main();
