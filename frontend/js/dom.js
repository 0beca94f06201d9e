// Building DOM without HTML strings: untrusted text (article titles,
// evidence sentences, place names) only ever reaches the page through
// textContent and setAttribute, so it cannot run or inject markup.

/**
 * el('a', {href: url, class: 'x'}, 'text', childNode, ...)
 * Attributes whose name starts with "on" are refused; `href` values are
 * kept only for http(s) and relative URLs.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`event attribute ${name} refused`);
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if ((name === 'href' || name === 'src') && !safeUrl(value)) continue;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Whether `value` may be a link or a source: an absolute http(s) URL (to
 * any host), or a relative one that resolves, against `base` (the page),
 * to the page's own origin. The check parses like the browser does, so
 * `/\evil.example/x` (read as `//evil.example/x`) or `https:evil.example`
 * never pass as same-site; javascript: and data: never pass at all.
 */
export function safeUrl(value, base = globalThis.location?.href) {
  const s = String(value).trim();
  let url;
  try {
    url = base === undefined ? new URL(s) : new URL(s, base);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (/^https?:\/\/[^/\\]/i.test(s)) return true;
  return base !== undefined && url.origin === new URL(base).origin;
}

/** Escape text for an HTML attribute or body (used only to show code). */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}
