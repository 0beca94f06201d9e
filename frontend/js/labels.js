// Place labels that never sit on the map's markers, clusters or each other.
// Each label is a permanent Leaflet tooltip on a point; after every change
// of the view (and whenever markers or clusters are redrawn) each label,
// in order of importance, takes the first side of its point (right, left,
// above, below) where it covers no marker, cluster or label already
// placed, and is hidden when no side is free.

const SIDES = [
  ['right', [5, 0]],
  ['left', [-5, 0]],
  ['top', [0, -5]],
  ['bottom', [0, 5]],
];

/** Whether two DOMRects overlap, with `pad` pixels around the first. */
export function overlaps(a, b, pad = 0) {
  return a.left - pad < b.right && b.left < a.right + pad && a.top - pad < b.bottom && b.top < a.bottom + pad;
}

/**
 * Keep the permanent tooltips of `layers` (Leaflet layers with a bound
 * tooltip, in order of importance) clear of the map's markers. Returns a
 * function that places them again (e.g. after other layers were drawn),
 * with a `stop()` method.
 */
export function declutter(map, layers, { pad = 2, obstacles = '.leaflet-marker-icon, path.fl-control-point' } = {}) {
  let frame = null;
  const place = () => {
    frame = null;
    if (!map._loaded) return;
    const container = map.getContainer();
    const view = container.getBoundingClientRect();
    const blocked = [...container.querySelectorAll(obstacles)]
      .map((n) => n.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0);
    for (const layer of layers) {
      const tip = layer.getTooltip?.();
      const node = tip?.getElement?.();
      if (!tip || !node || !map.hasLayer(layer)) continue;
      let placed = false;
      for (const [direction, offset] of SIDES) {
        tip.options.direction = direction;
        tip.options.offset = offset;
        tip.update();
        const r = node.getBoundingClientRect();
        const inside = r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom;
        if (inside && !blocked.some((b) => overlaps(r, b, pad))) {
          blocked.push(r);
          placed = true;
          break;
        }
      }
      node.classList.toggle('fl-label-hidden', !placed);
      // A hidden label is left out for screen readers too.
      node.setAttribute('aria-hidden', placed ? 'false' : 'true');
    }
    container.dataset.labels = 'placed';
  };
  const schedule = () => {
    if (frame === null) frame = requestAnimationFrame(place);
  };
  map.on('moveend zoomend resize', schedule);
  // Clusters and markers are redrawn after the view settles (and page by
  // page while events load): place again whenever the marker pane changes.
  const pane = map.getPane('markerPane');
  let timer = null;
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(schedule, 60);
  });
  if (pane) observer.observe(pane, { childList: true });
  schedule();
  schedule.stop = () => {
    map.off('moveend zoomend resize', schedule);
    observer.disconnect();
    clearTimeout(timer);
  };
  return schedule;
}
