// The place page: a small map of the place and its events, and the
// colours of the control history (set here, since the CSP forbids inline
// styles in the page). Colours and labels come from the vocabulary.

import { L } from './leaflet.js';
import { events } from './api.js';
import { el } from './dom.js';
import { translator } from './i18n.js';
import { basemap } from './layers/OfflineBasemap.js';
import { actorColour, eventIcon } from './style.js';
import { loadVocabulary } from './vocabulary.js';

const root = document.getElementById('map');
const cfg = root.dataset;
const t = translator(document.documentElement.lang);
const vocab = await loadVocabulary(t.lang);
const lat = Number(cfg.lat);
const lon = Number(cfg.lon);

for (const node of document.querySelectorAll('[data-actor]')) {
  node.style.background = actorColour(node.dataset.actor || null);
  if (node.dataset.weight) node.style.flex = `${Math.max(1, Number(node.dataset.weight) || 1)} 1 0`;
}

const map = L.map(root, { scrollWheelZoom: false }).setView([lat, lon], 11);
map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
map.attributionControl.addAttribution('GeoNames, Natural Earth');
basemap({ url: cfg.tiles, attribution: cfg.attribution, offline: { lang: t.lang } }).addTo(map);
L.circleMarker([lat, lon], { radius: 7, color: '#8c1c13', weight: 2, fillOpacity: 0.2 }).addTo(map);

const fc = await events({ place: cfg.place, limit: 500 }).catch((e) => { console.warn(e.message); return null; });
if (fc) {
  const bounds = L.latLngBounds([[lat, lon]]);
  for (const f of fc.features) {
    const p = f.properties;
    const [x, y] = f.geometry.coordinates;
    bounds.extend([y, x]);
    L.marker([y, x], { icon: eventIcon(p.type, p.subtype, p.fatalities, p.actor) })
      .bindTooltip(el('span', {}, `${vocab.event(p.type, p.subtype)} — ${t.date(p.date, p.date_precision)}`))
      .on('click', () => document.getElementById(`event-${p.id}`)?.scrollIntoView({ behavior: 'smooth' }))
      .addTo(map);
  }
  if (fc.features.length > 1) map.fitBounds(bounds.pad(0.3), { maxZoom: 12 });
}
