// The map page (`/`) and the embed page (`/embed`): reads the server's
// settings from the map element's data attributes and the view from the
// URL, loads the event vocabulary (types, subtypes, actors: their labels
// and colours), builds the layers and controls, and keeps the URL in step.

import { L } from './leaflet.js';
import { event as fetchEvent, followEvents } from './api.js';
import { el } from './dom.js';
import { translator } from './i18n.js';
import { eventPopup } from './popup.js';
import { pageLang, readState, stateQuery, writeState } from './state.js';
import { iconSize, SMALL_SCREEN } from './style.js';
import { loadVocabulary } from './vocabulary.js';
import { basemap } from './layers/OfflineBasemap.js';
import { boundariesLayer } from './layers/BoundariesLayer.js';
import { controlLayer } from './layers/ControlLayer.js';
import { eventLayer } from './layers/EventLayer.js';
import { EmbedControl, absoluteBase } from './controls/EmbedControl.js';
import { EventList } from './controls/EventList.js';
import { FilterControl } from './controls/FilterControl.js';
import { LayerSwitcher } from './controls/LayerSwitcher.js';
import { Legend } from './controls/Legend.js';
import { LiveIndicator } from './controls/LiveIndicator.js';
import { TimeSlider } from './controls/TimeSlider.js';
import { Timeline } from './controls/Timeline.js';

const root = document.getElementById('map');
const cfg = root.dataset;
const embed = cfg.embed === '1';
const status = (k, v) => { root.dataset[k] = String(v); };
// Everything below reads the vocabulary: load it first (on failure, raw keys).
const vocab = await loadVocabulary(pageLang(window.location.search));
status('vocabulary', vocab.loaded ? 'loaded' : 'error');
const state = readState(window.location.search, { embed });
const t = translator(state.lang);
const shows = (c) => !embed || state.controls.includes(c);
const save = () => writeState(state, { embed });
// Phones and narrow frames: every panel starts closed and opens as a sheet.
const small = window.matchMedia(SMALL_SCREEN).matches;
// A link without a zoom opens on all of Syria, which needs one level less on a phone.
if (small && !new URLSearchParams(window.location.search).has('z')) state.z -= 1;

const map = L.map(root, {
  zoomControl: false,
  scrollWheelZoom: state.wheel,
  minZoom: 3,
  worldCopyJump: true,
}).setView([state.lat, state.lng], state.z);
if (shows('zoom')) L.control.zoom({ position: 'topleft', zoomInTitle: t('zoom_in'), zoomOutTitle: t('zoom_out') }).addTo(map);
map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
map.attributionControl.addAttribution(`${t.lang === 'en' ? 'Places' : 'Lieux'}: <a href="https://www.geonames.org/">GeoNames</a>`);
map.attributionControl.addAttribution(`${t.lang === 'en' ? 'Borders' : 'Frontières'}: <a href="https://www.naturalearthdata.com/">Natural Earth</a>`);

// How to use the map from the keyboard, read with it by screen readers.
const keysHint = el('p', { id: 'fl-map-keys', class: 'fl-sr' }, t('map_keys'));
root.after(keysHint);
root.setAttribute('aria-describedby', keysHint.id);

const base = basemap({ url: cfg.tiles, attribution: cfg.attribution, offline: { lang: t.lang } }).addTo(map);
base.on('offline', () => {
  status('basemap', 'offline');
  map.attributionControl.addAttribution(t('offline'));
});

// Layers.
const events = eventLayer({ t }).addTo(map);
const controlParts = (layers) => ({ points: layers.includes('control'), areas: layers.includes('areas'), fronts: layers.includes('fronts') });
const control = controlLayer({ t, ...controlParts(state.layers) }).addTo(map);
const hasBoundaries = cfg.boundaries === '1';
const bounds = hasBoundaries ? boundariesLayer() : null;
if (bounds && state.layers.includes('boundaries')) bounds.addTo(map);

// Without the vocabulary the types are unknown: every type is shown.
const typeFilter = () => ({
  types: vocab.loaded ? vocab.typeKeys.filter((x) => state.layers.includes(x)) : null,
  sub: state.sub, actors: state.actors, from: state.from, to: state.to, conf: state.conf,
});
events.setFilter(typeFilter());

// Controls.
const layerItems = [
  ...vocab.types.map((type) => ({ key: type.key, label: type.plural })),
  { key: 'control', label: t('control') }, { key: 'areas', label: t('areas') }, { key: 'fronts', label: t('fronts') },
];
if (hasBoundaries) layerItems.push({ key: 'boundaries', label: t('boundaries') });
if (!embed) {
  new EmbedControl({ t, base: cfg.base, state: () => ({ ...state }), controls: ['zoom', 'legend'] }).addTo(map);
} else {
  // Small embeds show a short label, so that the link covers little of the map.
  const link = el('a', {
    href: `${absoluteBase(cfg.base)}/?${stateQuery(state, { includeEvent: false })}`, target: '_blank', rel: 'noopener', 'aria-label': t('open_full'), title: t('open_full'),
  }, el('span', { class: 'fl-long' }, t('open_full')), el('span', { class: 'fl-short', 'aria-hidden': 'true' }, t('open_short')));
  const FullLink = L.Control.extend({ options: { position: 'topright' }, onAdd: () => el('div', { class: 'fl-panel fl-fulllink' }, link) });
  new FullLink().addTo(map);
}

if (shows('layers')) {
  new LayerSwitcher({ items: layerItems, active: state.layers, title: t('layers'), collapsed: embed || small || map.getSize().y < 560 })
    .addTo(map)
    .on('change', ({ active }) => {
      state.layers = active;
      events.setFilter(typeFilter());
      control.show(controlParts(active));
      legend?.showSides(control.shown());
      if (bounds) { if (active.includes('boundaries')) bounds.addTo(map); else bounds.remove(); }
      save();
    });
}
const filters = shows('filters') ? new FilterControl({ t, value: state, collapsed: embed || small }).addTo(map) : null;
const list = embed ? null : new EventList({ t, label: (p) => events.label(p) }).addTo(map);
const legend = shows('legend') ? new Legend({ t, collapsed: small || map.getSize().y < 720 || (embed && map.getSize().x < 600) }).addTo(map) : null;
let timeline = null;
let slider = null;
if (shows('timeline')) {
  // The date of control and the histogram share the bar under the map,
  // where neither the attribution nor a panel can cover them.
  const under = document.getElementById('timeline');
  slider = new TimeSlider({ t, parent: under }).addTo(map);
  timeline = new Timeline({ t, parent: under }).addTo(map);
  timeline.setRange(state.from, state.to);
}
sheets(root);
// Keyboard order: the controls before the map's markers (the control
// corners are positioned, so their place in the DOM does not move them).
root.prepend(root.querySelector('.leaflet-control-container'));

const liveBadge = state.live ? new LiveIndicator({ t }).addTo(map) : null;

// The timeline under the map takes room from it: keep Leaflet's size (and
// the centre) right whenever the container changes.
new ResizeObserver(() => map.invalidateSize()).observe(root);
map.invalidateSize();

function applyFilters(v) {
  const reload = v.q !== undefined && v.q !== state.q;
  Object.assign(state, v);
  timeline?.setRange(state.from, state.to);
  if (reload) { loadEvents(); followLive(); } else events.setFilter(typeFilter());
  save();
}
filters?.on('change', (e) => applyFilters({ sub: e.sub, actors: e.actors, from: e.from, to: e.to, q: e.q, conf: e.conf }));
timeline?.on('brush', ({ from, to }) => {
  filters?.setValue({ from, to });
  applyFilters({ from, to });
});
events.on('filtered', ({ shown, total }) => { filters?.setCount(shown, total); status('shown', shown); });

// Control as of a date, following the slider.
let controlTimer = null;
function setControlDate(at, delay = 0) {
  state.at = at;
  timeline?.setMarker(at);
  clearTimeout(controlTimer);
  controlTimer = setTimeout(() => { control.setDate(at); save(); }, delay);
}
slider?.on('input', ({ at }) => timeline?.setMarker(at));
slider?.on('change', ({ at }) => setControlDate(at, 120));
control.on('updated', ({ at, points, fronts }) => {
  legend?.setActors(control.actors);
  base.relabel();
  legend?.showSides(control.shown());
  status('controlAt', at);
  status('controlPoints', points);
  status('fronts', fronts);
});
control.on('error', ({ error }) => console.warn(error.message));

// Event popups, with an uncertainty circle for "near" and "region". The
// event's feature is fetched unless the caller already has it.
let circle = null;
// Where the keyboard's focus goes back when a popup opened from it closes.
let returnFocus = null;
async function openEvent(id, latlng, fatalities, feature = null, { focus = false } = {}) {
  const opener = focus ? document.activeElement : null;
  const popup = L.popup({
    maxWidth: small ? Math.min(380, map.getSize().x - 40) : 380,
    minWidth: Math.min(260, map.getSize().x - 60),
    offset: [0, -iconSize(fatalities) / 2 + 7],
    autoPanPadding: [20, 20],
  })
    .setLatLng(latlng)
    .setContent(el('div', { class: 'fl-popup' }, t('loading')))
    .openOn(map);
  returnFocus = opener;
  labelCloseButton(popup);
  state.event = id;
  save();
  try {
    feature ??= await fetchEvent(id);
    if (!map.hasLayer(popup)) return;
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    circle?.remove();
    circle = null;
    if ((p.precision === 'near' || p.precision === 'region') && p.radius_km > 0) {
      circle = L.circle([lat, lon], { radius: p.radius_km * 1000, className: 'fl-uncertainty', interactive: false }).addTo(map);
    }
    popup.setLatLng([lat, lon]).setContent(eventPopup(feature, t));
    labelCloseButton(popup);
    status('popup', id);
    if (focus) popup.getElement()?.querySelector('.fl-popup h3')?.focus();
  } catch (e) {
    popup.setContent(el('div', { class: 'fl-popup fl-error' }, e.message));
  }
}
map.on('popupclose', () => {
  circle?.remove();
  circle = null;
  state.event = null;
  save();
  const back = returnFocus;
  returnFocus = null;
  if (back?.isConnected) back.focus();
});
// Escape closes a popup from anywhere inside it (Leaflet listens only while
// the map itself has the focus).
root.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && e.target.closest?.('.leaflet-popup')) {
    e.preventDefault();
    map.closePopup();
  }
});
events.on('select', ({ point, keyboard }) => openEvent(point.id, [point.lat, point.lon], point.fatalities, null, { focus: keyboard }));
list?.on('select', ({ point }) => {
  // On a phone the list is a sheet over the map: close it to show the popup.
  if (small) list.getContainer().open = false;
  const target = [point.lat, point.lon];
  if (!map.getBounds().pad(-0.1).contains(target)) map.panTo(target, { animate: false });
  openEvent(point.id, target, point.fatalities, null, { focus: true });
});

/** Leaflet names its popups' close button in English: in the page's language. */
function labelCloseButton(popup) {
  const close = popup.getElement()?.querySelector('.leaflet-popup-close-button');
  if (close) {
    close.setAttribute('aria-label', t('close'));
    close.title = t('close');
  }
}

/**
 * The panels (<details class="fl-sheet">): Escape closes one and gives the
 * focus back to its button; on small screens, where they open as sheets
 * over the bottom of the map, one at a time.
 */
function sheets(container) {
  const all = [...container.querySelectorAll('details.fl-sheet')];
  for (const d of all) {
    d.addEventListener('toggle', () => {
      if (d.open && window.matchMedia(SMALL_SCREEN).matches) for (const o of all) if (o !== d) o.open = false;
    });
    d.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !d.open) return;
      e.stopPropagation();
      d.open = false;
      d.querySelector('summary')?.focus();
    });
  }
}

/** Give the list the shown events in view. */
let listTimer = null;
function updateList() {
  if (!list) return;
  clearTimeout(listTimer);
  listTimer = setTimeout(() => list.setPoints(events.pointsIn(map.getBounds())), 100);
}
map.on('moveend', updateList);
events.on('filtered', updateList);
events.on('loaded', updateList);

let pendingEvent = state.event;
async function focusEvent(id) {
  pendingEvent = null;
  try {
    const f = await fetchEvent(id);
    const [lon, lat] = f.geometry.coordinates;
    map.setView([lat, lon], Math.max(map.getZoom(), 10), { animate: false });
    openEvent(id, [lat, lon], f.properties.fatalities, f);
  } catch (e) {
    console.warn(e.message);
  }
}

// Loading.
let firstPage = true;
function loadEvents() {
  firstPage = true;
  status('state', 'loading');
  events.load(state.q, state.review);
}
events.on('pageloaded', ({ total }) => {
  status('loaded', total);
  if (firstPage) {
    firstPage = false;
    status('firstMarkers', Math.round(performance.now()));
    if (pendingEvent) focusEvent(pendingEvent);
  }
});
// The counters, the actors of the filter and the timeline, from the
// loaded points.
function summarise() {
  const points = events.points();
  const shown = events.visiblePoints().length;
  filters?.setCount(shown, points.length);
  status('shown', shown);
  const counts = new Map();
  for (const p of points) {
    for (const a of [p.actor, p.target]) if (a) counts.set(a, (counts.get(a) || 0) + 1);
  }
  filters?.setActors([...counts].sort((a, b) => b[1] - a[1]).map(([name, count]) => ({ name, count })));
  timeline?.setDates(points.map((p) => p.date));
  return points;
}

events.on('loaded', () => {
  base.relabel();
  status('state', 'loaded');
  const points = summarise();
  flushLive();
  const extent = timeline?.extent() || extentOf(points);
  if (extent) {
    const at = state.at || extent[1];
    slider?.setRange(extent[0], extent[1], at);
    if (control.date() !== at) setControlDate(at);
  }
});
events.on('error', ({ error }) => { status('state', 'error'); console.error(error); });

function extentOf(points) {
  let a = null;
  let b = null;
  for (const p of points) {
    if (!p.date) continue;
    if (!a || p.date < a) a = p.date;
    if (!b || p.date > b) b = p.date;
  }
  return a ? [a, b] : null;
}

map.on('moveend', () => {
  const c = map.getCenter();
  Object.assign(state, { lat: c.lat, lng: c.lng, z: map.getZoom() });
  save();
});

// Live events: new and changed events appear without reloading, with a
// short highlight; the counters, the timeline and the control layer follow.
// Events that arrive while the points load wait for the load to end.
// Events rejected by a reviewer (or gone, or out of the filter) leave the map.
let stopLive = null;
let liveWaiting = [];
let liveCount = 0;
function followLive() {
  stopLive?.();
  liveWaiting = [];
  if (!state.live) return;
  stopLive = followEvents({ q: state.q, review: state.review }, {
    onEvent: (feature) => {
      if (root.dataset.state === 'loaded') addLive([feature]); else liveWaiting.push(feature);
    },
    onRemove: (id) => {
      if (root.dataset.state === 'loaded') removeLive([id]); else liveWaiting.push({ removed: id });
    },
    onState: (s) => { liveBadge?.setState(s); status('live', s); },
  });
}
function flushLive() {
  const waiting = liveWaiting;
  liveWaiting = [];
  // In order (an event may arrive, then be removed, or the reverse), the
  // arrivals between two removals together.
  let added = [];
  for (const w of waiting) {
    if (!w.removed) { added.push(w); continue; }
    if (added.length) addLive(added);
    added = [];
    removeLive([w.removed]);
  }
  if (added.length) addLive(added);
}
function removeLive(ids) {
  let control_changed = false;
  for (const id of ids) {
    const gone = events.remove(id);
    if (!gone) continue;
    if (state.event === id) map.closePopup();
    status('lastRemoved', id);
    control_changed ||= gone.type === 'control_change';
  }
  summarise();
  if (control_changed && control.date()) control.setDate(control.date());
}
function addLive(features) {
  let control_changed = false;
  for (const f of features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    events.upsert({
      id: f.id ?? p.id, lat, lon, type: p.type, subtype: p.subtype, date: p.date, actor: p.actor,
      target: p.target, fatalities: p.fatalities, precision: p.precision, radius_km: p.radius_km,
    });
    liveBadge?.count();
    liveCount += 1;
    status('liveEvents', liveCount);
    status('lastLive', f.id ?? p.id);
    control_changed ||= p.type === 'control_change';
  }
  summarise();
  if (control_changed && control.date()) control.setDate(control.date());
}

if (state.at) setControlDate(state.at);
loadEvents();
followLive();
