// The one place that reads the libraries loaded by classic <script> tags
// (Leaflet and its plugins publish themselves on `window`). Every other
// module imports them from here, so no module of ours touches globals.

export const L = window.L;

/** topojson-client, or null when its script did not load. */
export const topojson = window.topojson || null;
