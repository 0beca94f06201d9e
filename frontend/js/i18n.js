// The words of the interface, French by default, English with ?lang=en.
// The labels of event types, subtypes and actors are not here: they come
// from the vocabulary (vocabulary.js, served by /api/vocabulary).

const STRINGS = {
  fr: {
    title: 'Frontline — carte des événements en Syrie',
    layers: 'Couches',
    control: 'Contrôle à la date', areas: 'Zones de contrôle', boundaries: 'Limites administratives',
    fronts: 'Lignes de front', front_line: 'Ligne de front', newest_report: 'nouvelle la plus récente',
    sides: 'Camps', download: "Télécharger l'image", download_png: 'PNG', download_svg: 'SVG',
    filters: 'Filtres', types: 'Types', actors: 'Acteurs', all_actors: 'Tous les acteurs',
    from: 'Du', to: 'au', text: 'Texte', search: 'mot dans la preuve…', reset: 'Réinitialiser',
    apply: 'Appliquer', play: 'Lecture', pause: 'Pause', as_of: 'Contrôle au',
    legend: 'Légende', contested: 'Contesté', unknown: 'Inconnu', stale: 'Nouvelles anciennes',
    date: 'Date', type: 'Type', actor: 'Acteur', target: 'Cible', casualties: 'Victimes',
    killed: 'morts', injured: 'blessés', review_history: 'Historique des relectures', no_review: 'Aucune modification.', place: 'Lieu', evidence: 'Preuve', sources: 'Sources',
    place_page: 'Page du lieu', claimed_by: 'Revendiqué par', loading: 'Chargement…',
    events_shown: 'événements affichés', of: 'sur', none: 'aucun',
    embed: 'Intégrer', embed_title: 'Intégrer cette carte', width: 'Largeur', height: 'Hauteur',
    controls: 'Contrôles', zoom: 'Zoom', timeline: 'Chronologie', wheel: 'Zoom à la molette',
    checked_only: 'Seulement les événements vérifiés par un analyste',
    copy: 'Copier', copied: 'Copié', close: 'Fermer', code: 'Code à coller',
    timeline_hint: 'Glisser pour choisir une période, double-clic pour tout voir',
    per_day: 'par jour', per_week: 'par semaine', offline: 'Fond de carte hors ligne',
    live: 'En direct', live_connecting: 'Connexion…', live_reconnecting: 'Reconnexion…', live_title: 'Les nouveaux événements apparaissent sans recharger la page',
    open_full: 'Ouvrir la carte complète', open_short: 'Ouvrir ↗', controlled_by: 'Contrôlé par', since: 'depuis',
    last_news: 'dernière nouvelle', history: 'Qui contrôlait ce lieu', events: 'Événements',
    no_events: 'Aucun événement.', source: 'source', unknown_actor: 'acteur inconnu',
    ex_precision: 'exact', near_precision: 'à proximité', region_precision: 'région',
    day_p: 'jour', month_p: 'mois', year_p: 'année', unknown_p: 'date inconnue', week_p: 'semaine',
    range_p: 'période', approx: 'approx.', radius: 'rayon',
    timeline_range: 'Période de la chronologie', all_dates: 'toutes les dates',
    timeline_keys: 'Flèches : déplacer la période ; Maj+flèches : changer sa fin ; Échap : tout voir.',
    reliability: 'Fiabilité', conf_all: 'tous les événements', conf_likely: 'probables (≥ 70 %)', conf_sure: 'les plus sûrs (≥ 80 %)',
    period: 'Période', date_format: 'jj/mm/aaaa', bad_date: 'Date invalide : jj/mm/aaaa',
    list: 'Liste', list_title: 'Événements dans la vue', list_more: 'Les {n} plus récents ; zoomez pour voir les autres.',
    preview: 'Aperçu', zoom_in: 'Zoomer', zoom_out: 'Dézoomer',
    list_empty: 'Aucun événement dans la vue.', n_events: 'événements', map_keys: 'Carte : flèches pour se déplacer, + et − pour zoomer ; Tab atteint les marqueurs.',
  },
  en: {
    title: 'Frontline — map of events in Syria',
    layers: 'Layers',
    control: 'Control as of date', areas: 'Areas of control', boundaries: 'Admin boundaries',
    fronts: 'Front lines', front_line: 'Front line', newest_report: 'newest report',
    sides: 'Sides', download: 'Download the image', download_png: 'PNG', download_svg: 'SVG',
    filters: 'Filters', types: 'Types', actors: 'Actors', all_actors: 'All actors',
    from: 'From', to: 'to', text: 'Text', search: 'word in the evidence…', reset: 'Reset',
    apply: 'Apply', play: 'Play', pause: 'Pause', as_of: 'Control as of',
    legend: 'Legend', contested: 'Contested', unknown: 'Unknown', stale: 'Old news',
    date: 'Date', type: 'Type', actor: 'Actor', target: 'Target', casualties: 'Casualties',
    killed: 'killed', injured: 'injured', review_history: 'Review history', no_review: 'No change.', place: 'Place', evidence: 'Evidence', sources: 'Sources',
    place_page: 'Place page', claimed_by: 'Claimed by', loading: 'Loading…',
    events_shown: 'events shown', of: 'of', none: 'none',
    embed: 'Embed', embed_title: 'Embed this map', width: 'Width', height: 'Height',
    controls: 'Controls', zoom: 'Zoom', timeline: 'Timeline', wheel: 'Scroll-wheel zoom',
    checked_only: 'Only events checked by an analyst',
    copy: 'Copy', copied: 'Copied', close: 'Close', code: 'Code to paste',
    timeline_hint: 'Drag to pick a period, double-click to see all',
    per_day: 'per day', per_week: 'per week', offline: 'Offline basemap',
    live: 'Live', live_connecting: 'Connecting…', live_reconnecting: 'Reconnecting…', live_title: 'New events appear without reloading the page',
    open_full: 'Open the full map', open_short: 'Open ↗', controlled_by: 'Controlled by', since: 'since',
    last_news: 'last news', history: 'Who controlled this place', events: 'Events',
    no_events: 'No events.', source: 'source', unknown_actor: 'unknown actor',
    ex_precision: 'exact', near_precision: 'nearby', region_precision: 'region',
    day_p: 'day', month_p: 'month', year_p: 'year', unknown_p: 'unknown date', week_p: 'week',
    range_p: 'period', approx: 'approx.', radius: 'radius',
    timeline_range: 'Timeline period', all_dates: 'all dates',
    timeline_keys: 'Arrows: move the period; Shift+arrows: change its end; Escape: see all.',
    reliability: 'Reliability', conf_all: 'all events', conf_likely: 'likely (≥ 70%)', conf_sure: 'surest (≥ 80%)',
    period: 'Period', date_format: 'dd/mm/yyyy', bad_date: 'Invalid date: dd/mm/yyyy',
    list: 'List', list_title: 'Events in view', list_more: 'The {n} most recent; zoom in to see the others.',
    preview: 'Preview', zoom_in: 'Zoom in', zoom_out: 'Zoom out',
    list_empty: 'No events in view.', n_events: 'events', map_keys: 'Map: arrows to pan, + and − to zoom; Tab reaches the markers.',
  },
};

/** The translator for one language: t(key), t.precision(), t.date(), t.number(). */
export function translator(lang) {
  const l = lang === 'en' ? 'en' : 'fr';
  const t = (key) => STRINGS[l][key] ?? STRINGS.fr[key] ?? key;
  t.lang = l;
  t.precision = (p) => t(`${p === 'exact' ? 'ex' : p}_precision`);
  t.datePrecision = (p) => t(`${p}_p`);
  t.number = (n) => new Intl.NumberFormat(l === 'en' ? 'en-GB' : 'fr-FR').format(n);
  t.date = (iso, precision = 'day') => formatDate(iso, precision, l);
  /** A date as typed in a date field: dd/mm/yyyy (both languages read days first). */
  t.numericDate = (iso) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');
  return t;
}

/**
 * A typed date as YYYY-MM-DD: dd/mm/yyyy (or d/m/yyyy, with / . or -), or
 * YYYY-MM-DD; null when it is not a real date.
 */
export function parseDate(text) {
  const s = String(text ?? '').trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let y; let mo; let d;
  if (m) [, y, mo, d] = m;
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return null;
    [, d, mo, y] = m;
  }
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

function formatDate(iso, precision, lang) {
  if (!iso) return STRINGS[lang].unknown_p;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  const locale = lang === 'en' ? 'en-GB' : 'fr-FR';
  const opts = { timeZone: 'UTC', year: 'numeric' };
  if (precision === 'day' || precision === 'week') Object.assign(opts, { month: 'long', day: 'numeric' });
  if (precision === 'month') opts.month = 'long';
  return new Intl.DateTimeFormat(locale, opts).format(d);
}
