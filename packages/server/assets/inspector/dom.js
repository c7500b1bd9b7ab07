/**
 * Building the page's DOM without `innerHTML`: every string given here becomes text, never markup. The one
 * place markup is parsed is markdown.js, through DOMPurify.
 */

/** `h('a', { href, class: 'x', onclick }, 'text', child)`: an element with attributes and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  appendAll(el, children);
  return el;
}

/** Replaces `el`'s children; `null`, `undefined` and `false` among them are left out. */
export function fill(el, ...children) {
  el.replaceChildren();
  appendAll(el, children);
  return el;
}

function appendAll(el, children) {
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** `url` when it is an http(s) address (resolved against the page), else `undefined`. */
export function safeHref(url) {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link opening in a new tab, or plain text when `url` is not http(s). */
export function externalLink(url, text) {
  const href = safeHref(url);
  const label = text || url || '';
  return href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : h('span', {}, label);
}

/** Any JSON value, pretty-printed. */
export function jsonBlock(value, className = 'json') {
  return h('pre', { class: className }, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** `2026-01-02T03:04:05Z` → the reader's local date and time. */
export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? '') : date.toLocaleString();
}

/** Seconds between two ISO times (the API's times have whole seconds), as `1 m 05 s`. */
export function formatDuration(fromIso, toIso) {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
}

export function statusBadge(status) {
  return h(
    'span',
    { class: `status status-${status}`, 'data-status': status },
    String(status ?? '').replace('_', ' '),
  );
}

/** Statuses after which an interaction never changes. */
export const RUNNING_STATUSES = new Set(['queued', 'in_progress']);
