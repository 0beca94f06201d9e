// A histogram of events per day (short spans) or per week, under the map.
// Dragging across it brushes a date range (fires `brush` with {from, to});
// a double click clears it. A line marks the time slider's date.
// From the keyboard the histogram is a slider over the range: arrows move
// the range by a bar (a day or a week), Shift+arrows move its end, Page
// Up/Down by about three months, Home/End to the ends, Escape or Delete
// clears it.

import { L } from '../leaflet.js';
import { el } from '../dom.js';
import { fromDay, toDay, weekStart } from '../dates.js';

/** The width of a year label ("2025") at the axis's 9 px, in pixels. */
const YEAR_LABEL_WIDTH = 22;
const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  return n;
};

export const Timeline = L.Control.extend({
  includes: L.Evented.prototype,

  options: {
    position: 'bottomleft',
    t: null,
    /** An element to draw into instead of a map corner (e.g. under the map). */
    parent: null,
    /** Height of the bars' area in pixels. */
    height: 64,
    /** Spans up to this many days are counted per day, longer ones per week. */
    dailyUpTo: 180,
  },

  addTo(map) {
    if (!this.options.parent) return L.Control.prototype.addTo.call(this, map);
    this.remove();
    this._map = map;
    this._container = this.onAdd(map);
    this.options.parent.append(this._container);
    return this;
  },

  onAdd() {
    const { t } = this.options;
    const hint = `fl-timeline-hint-${L.Util.stamp(this)}`;
    this._svg = svg('svg', {
      class: 'fl-histogram', height: this.options.height + 16, role: 'slider', tabindex: 0,
      'aria-label': t('timeline_range'), 'aria-describedby': hint, 'aria-valuetext': t('all_dates'),
    });
    this._caption = el('span', { class: 'fl-timeline-caption' });
    const box = el('div', { class: 'fl-panel fl-timeline', title: t('timeline_hint') },
      el('div', { class: 'fl-timeline-head' }, el('strong', {}, t('timeline')), ' ', this._caption),
      el('span', { id: hint, class: 'fl-sr' }, t('timeline_keys')),
      this._svg);
    L.DomEvent.disableClickPropagation(box);
    this._bindBrush();
    this._bindKeys();
    this._resize = () => this._draw();
    window.addEventListener('resize', this._resize);
    return box;
  },

  onRemove() {
    window.removeEventListener('resize', this._resize);
  },

  remove() {
    if (this.options.parent && this._container) {
      this._container.remove();
      this.onRemove(this._map);
      this._map = null;
      return this;
    }
    return L.Control.prototype.remove.call(this);
  },

  /** Dates (YYYY-MM-DD or null) of the events to count. */
  setDates(dates) {
    let min = Infinity;
    let max = -Infinity;
    const days = [];
    for (const d of dates) {
      if (!d) continue;
      const n = toDay(d);
      if (!Number.isFinite(n)) continue;
      days.push(n);
      if (n < min) min = n;
      if (n > max) max = n;
    }
    this._days = days;
    this._min = Number.isFinite(min) ? min : null;
    this._max = Number.isFinite(max) ? max : null;
    this._draw();
  },

  /** The brushed range, shown as a band. */
  setRange(from, to) {
    this._from = from;
    this._to = to;
    this._draw();
    const { t } = this.options;
    this._svg?.setAttribute('aria-valuetext', from || to
      ? `${from ? t.date(from) : '…'} – ${to ? t.date(to) : '…'}` : t('all_dates'));
  },

  /** The time slider's date, shown as a line. */
  setMarker(at) {
    this._at = at;
    this._draw();
  },

  extent() {
    return this._min === null || this._min === undefined ? null : [fromDay(this._min), fromDay(this._max)];
  },

  _geometry() {
    const width = Math.max(100, this._svg.clientWidth || this._svg.parentNode?.clientWidth || 600);
    const daily = this._max - this._min <= this.options.dailyUpTo;
    const start = daily ? this._min : weekStart(this._min);
    const size = daily ? 1 : 7;
    const buckets = Math.floor((this._max - start) / size) + 1;
    return { width, daily, start, size, buckets, x: (day) => ((day - start) / (buckets * size)) * width };
  },

  _draw() {
    if (!this._svg) return;
    this._svg.replaceChildren();
    if (this._min === null || this._min === undefined) return;
    const g = this._geometry();
    const counts = new Array(g.buckets).fill(0);
    for (const d of this._days) counts[Math.floor((d - g.start) / g.size)] += 1;
    const top = Math.max(1, ...counts);
    const h = this.options.height;
    const bw = g.width / g.buckets;
    const { t } = this.options;
    this._caption.textContent = `${t.date(fromDay(this._min))} – ${t.date(fromDay(this._max))}, ${t(g.daily ? 'per_day' : 'per_week')}`;
    this._svg.setAttribute('aria-valuemin', String(this._min));
    this._svg.setAttribute('aria-valuemax', String(this._max));
    this._svg.setAttribute('aria-valuenow', String(this._to ? toDay(this._to) : this._max));
    if (this._from || this._to) {
      const a = this._from ? g.x(toDay(this._from)) : 0;
      const b = this._to ? g.x(toDay(this._to) + 1) : g.width;
      this._svg.append(svg('rect', { class: 'fl-brush', x: a, y: 0, width: Math.max(1, b - a), height: h }));
    }
    const bars = svg('g', { class: 'fl-bars' });
    counts.forEach((c, i) => {
      if (!c) return;
      const bh = Math.max(1, (c / top) * h);
      bars.append(svg('rect', { x: i * bw, y: h - bh, width: Math.max(1, bw - (bw > 3 ? 1 : 0)), height: bh }));
    });
    this._svg.append(bars);
    const axis = svg('g', { class: 'fl-axis' });
    const y0 = new Date(fromDay(this._min)).getUTCFullYear();
    const y1 = new Date(fromDay(this._max)).getUTCFullYear();
    // A year label at 9 px is about 22 px wide: label every year, or every
    // 2nd, 5th or 10th when years are narrower, and never one that would
    // run past the right edge.
    const yearWidth = g.width / Math.max(1, (this._max - this._min) / 365.25);
    const every = [1, 2, 5, 10].find((k) => k * yearWidth >= YEAR_LABEL_WIDTH + 4) ?? 20;
    for (let y = y0 + 1; y <= y1; y += 1) {
      const x = g.x(toDay(`${y}-01-01`));
      axis.append(svg('line', { x1: x, x2: x, y1: h, y2: h + 4 }));
      if (y % every !== 0 || x + 2 + YEAR_LABEL_WIDTH > g.width) continue;
      const label = svg('text', { x: x + 2, y: h + 14 });
      label.textContent = String(y);
      axis.append(label);
    }
    this._svg.append(axis);
    if (this._at) {
      const x = g.x(toDay(this._at));
      this._svg.append(svg('line', { class: 'fl-at-line', x1: x, x2: x, y1: 0, y2: h }));
    }
  },

  _dayAt(clientX) {
    const rect = this._svg.getBoundingClientRect();
    const g = this._geometry();
    const frac = Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
    return Math.min(this._max, Math.max(this._min, Math.floor(g.start + frac * g.buckets * g.size)));
  },

  _bindBrush() {
    let start = null;
    this._svg.addEventListener('pointerdown', (e) => {
      if (this._min === null || this._min === undefined) return;
      start = this._dayAt(e.clientX);
      this._svg.setPointerCapture(e.pointerId);
    });
    this._svg.addEventListener('pointermove', (e) => {
      if (start === null) return;
      const now = this._dayAt(e.clientX);
      this.setRange(fromDay(Math.min(start, now)), fromDay(Math.max(start, now)));
    });
    this._svg.addEventListener('pointerup', (e) => {
      if (start === null) return;
      const end = this._dayAt(e.clientX);
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      start = null;
      if (b - a < 1) return; // a click, not a drag
      this.setRange(fromDay(a), fromDay(b));
      this.fire('brush', { from: fromDay(a), to: fromDay(b) });
    });
    this._svg.addEventListener('dblclick', () => {
      this.setRange(null, null);
      this.fire('brush', { from: null, to: null });
    });
  },

  _bindKeys() {
    let timer = null;
    const settle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.fire('brush', { from: this._from, to: this._to }), 250);
    };
    this._svg.addEventListener('keydown', (e) => {
      if (this._min === null || this._min === undefined) return;
      const g = this._geometry();
      const clamp = (d) => Math.min(this._max, Math.max(this._min, d));
      if (e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') {
        if (!this._from && !this._to) return;
        e.preventDefault();
        this.setRange(null, null);
        settle();
        return;
      }
      const steps = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -13, PageUp: 13 };
      if (!(e.key in steps) && e.key !== 'Home' && e.key !== 'End') return;
      e.preventDefault();
      // Without a range, the keys start one: the last bar.
      let a = this._from ? toDay(this._from) : null;
      let b = this._to ? toDay(this._to) : null;
      if (a === null || b === null) {
        b = b ?? this._max;
        a = a ?? clamp(b - g.size + 1);
      }
      const width = b - a;
      if (e.key === 'Home') { a = this._min; b = clamp(a + width); } else if (e.key === 'End') { b = this._max; a = clamp(b - width); } else {
        const step = steps[e.key] * (Math.abs(steps[e.key]) > 1 && g.daily ? 30 / 13 : 1) * g.size;
        const move = Math.round(step);
        if (e.shiftKey) b = Math.max(a, clamp(b + move));
        else if (a + move < this._min) { a = this._min; b = clamp(a + width); } else if (b + move > this._max) { b = this._max; a = clamp(b - width); } else { a += move; b += move; }
      }
      this.setRange(fromDay(a), fromDay(b));
      settle();
    });
  },
});
