// The place page: a small map of the place in its surroundings (how far
// around depends on the kind of place; Syria's border and any admin
// boundaries drawn over the tiles) with its events, and the colours of the
// control history (set here, since the CSP forbids inline styles in the
// page). Colours and labels come from the vocabulary.

import { L } from './leaflet.js';
import { events } from './api.js';
import { el } from './dom.js';
import { translator } from './i18n.js';
import { basemap, OfflineBasemap } from './layers/OfflineBasemap.js';
import { boundariesLayer } from './layers/BoundariesLayer.js';
import { actorColour, eventIcon } from './style.js';
import { loadVocabulary } from './vocabulary.js';

/** Half the side of the area shown around a place, in degrees, by its kind. */
const SURROUNDINGS = {
  country: 3, governorate: 0.9, region: 0.6, district: 0.35, foreign: 0.5,
  city: 0.14, town: 0.07, village: 0.045, neighbourhood: 0.03, camp: 0.035, base: 0.035, landmark: 0.035,
};

const root = document.getElementById('map');
const cfg = root.dataset;
const t = translator(document.documentElement.lang);
const vocab = await loadVocabulary(t.lang);
const lat = Number(cfg.lat);
const lon = Number(cfg.lon);

// Black or white text, whichever reads better on a colour (WCAG luminance).
const probe = document.createElement('span');
function textOn(colour) {
  probe.style.color = colour;
  document.body.append(probe);
  const [r, g, b] = getComputedStyle(probe).color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  probe.remove();
  const lin = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return (1.05) / (l + 0.05) >= (l + 0.05) / 0.05 ? '#fff' : '#000';
}

for (const node of document.querySelectorAll('[data-actor]')) {
  const colour = actorColour(node.dataset.actor || null);
  node.style.background = colour;
  if (node.dataset.weight) {
    node.style.flex = `${Math.max(1, Number(node.dataset.weight) || 1)} 1 0`;
    node.style.color = textOn(colour);
  }
}

const map = L.map(root, { scrollWheelZoom: false }).setView([lat, lon], 11);
map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
map.attributionControl.addAttribution(`${t.lang === 'en' ? 'Places' : 'Lieux'}: <a href="https://www.geonames.org/">GeoNames</a>`);
map.attributionControl.addAttribution(`${t.lang === 'en' ? 'Borders' : 'Frontières'}: <a href="https://www.naturalearthdata.com/">Natural Earth</a>`);
const base = basemap({ url: cfg.tiles, attribution: cfg.attribution, offline: { lang: t.lang } }).addTo(map);
base.on('offline', () => map.attributionControl.addAttribution(t('offline')));
// Syria's border over the tiles, and the admin boundaries when the server has them.
new OfflineBasemap({ outline: true }).addTo(map);
if (cfg.boundaries === '1') boundariesLayer().addTo(map);
L.circleMarker([lat, lon], { radius: 8, color: '#8c1c13', weight: 3, fillOpacity: 0.25, interactive: false }).addTo(map);

const span = SURROUNDINGS[cfg.kind] ?? 0.05;
const bounds = L.latLngBounds([[lat - span, lon - span * 1.2], [lat + span, lon + span * 1.2]]);
const fc = await events({ place: cfg.place, limit: 500 }).catch((e) => { console.warn(e.message); return null; });
for (const f of fc?.features || []) {
  const p = f.properties;
  const [x, y] = f.geometry.coordinates;
  bounds.extend([y, x]);
  const label = `${vocab.event(p.type, p.subtype)} — ${t.date(p.date, p.date_precision)}`;
  const show = () => {
    const article = document.getElementById(`event-${p.id}`);
    if (!article) return;
    article.setAttribute('tabindex', '-1');
    article.scrollIntoView({ behavior: 'smooth' });
    article.focus({ preventScroll: true });
  };
  const m = L.marker([y, x], { icon: eventIcon(p.type, p.subtype, p.fatalities, p.actor), keyboard: true })
    .bindTooltip(el('span', {}, label))
    .on('click', show)
    .on('keydown', (e) => {
      if (e.originalEvent.key === 'Enter' || e.originalEvent.key === ' ') { e.originalEvent.preventDefault(); show(); }
    });
  m.on('add', () => m.getElement()?.setAttribute('aria-label', label)).addTo(map);
}
map.fitBounds(bounds, { padding: [16, 16], maxZoom: 13, animate: false });
root.dataset.place = 'drawn';
