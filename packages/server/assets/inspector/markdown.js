/**
 * Model text as markdown: parsed by `marked`, then sanitized by DOMPurify before it reaches the page (model
 * output is untrusted). Citations (`url_citation` annotations, UTF-8 byte offsets into the text) become
 * numbered links at the end of the text they support, and a list of sources below it.
 */
import { h, safeHref } from './dom.js';
import { Marked } from './vendor/marked.js';
import DOMPurify from './vendor/purify.js';

const parser = new Marked({ gfm: true, async: false });

/** Beyond DOMPurify's defaults: no styles (the page's policy would refuse them anyway) and no form controls. */
const PURIFY = {
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option'],
  FORBID_ATTR: ['style'],
};

/** Markers survive markdown and sanitizing as plain text; they are swapped for links afterwards. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

/** A `<div class="markdown">` for `text` with its `annotations` (if any). */
export function renderMarkdown(text, annotations = []) {
  const sources = citations(text, annotations);
  const html = DOMPurify.sanitize(parser.parse(withMarkers(text, sources)), PURIFY);
  // A template's content is inert: nothing in it loads before the images are dealt with below.
  const template = document.createElement('template');
  template.innerHTML = html;
  finishLinks(template.content);
  replaceMarkers(template.content, sources);
  const root = h('div', { class: 'markdown' });
  root.append(template.content);
  if (sources.length > 0) root.append(sourceList(sources));
  return root;
}

/** Citations in reading order, numbered from 1, with the character offset their marker goes at. */
function citations(text, annotations) {
  const offsets = byteToCharOffsets(text);
  return annotations
    .filter((a) => a && typeof a === 'object' && a.type !== 'speech_metadata' && a.type !== 'word_info')
    .map((a) => ({
      annotation: a,
      at: offsets(Number.isInteger(a.end_index) ? a.end_index : Number.POSITIVE_INFINITY),
    }))
    .sort((x, y) => x.at - y.at)
    .map((c, i) => ({ ...c, n: i + 1 }));
}

/** A function from a UTF-8 byte offset into `text` to the JavaScript string index there (clamped). */
function byteToCharOffsets(text) {
  const encoder = new TextEncoder();
  return (bytes) => {
    let used = 0;
    let index = 0;
    for (const char of text) {
      const size = encoder.encode(char).length;
      if (used + size > bytes) return index;
      used += size;
      index += char.length;
    }
    return text.length;
  };
}

function withMarkers(text, sources) {
  let out = text;
  // From the end, so earlier offsets stay valid.
  for (const c of [...sources].reverse())
    out = `${out.slice(0, c.at)}${OPEN}${c.n}${CLOSE}${out.slice(c.at)}`;
  return out;
}

/** Links open in a new tab without a referrer; images from elsewhere (blocked by the page's policy) become links. */
function finishLinks(root) {
  for (const a of root.querySelectorAll('a[href]')) {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  for (const img of root.querySelectorAll('img')) {
    const src = img.getAttribute('src') ?? '';
    if (src.startsWith('data:image/')) continue;
    const label = `[image: ${img.getAttribute('alt') || src}]`;
    const href = safeHref(src);
    img.replaceWith(href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
  }
}

function replaceMarkers(root, sources) {
  const byNumber = new Map(sources.map((c) => [c.n, c]));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.data.includes(OPEN)) nodes.push(node);
  }
  for (const node of nodes) {
    const parts = [];
    let last = 0;
    for (const match of node.data.matchAll(MARKER)) {
      parts.push(node.data.slice(last, match.index));
      const c = byNumber.get(Number(match[1]));
      if (c) parts.push(citationMark(c));
      last = match.index + match[0].length;
    }
    parts.push(node.data.slice(last));
    node.replaceWith(...parts);
  }
}

const citationUrl = (a) => a.url ?? a.document_uri ?? undefined;
const citationTitle = (a) => a.title || a.file_name || a.name || a.source || citationUrl(a) || a.type;

function citationMark(c) {
  const href = safeHref(citationUrl(c.annotation));
  const label = `[${c.n}]`;
  const title = citationTitle(c.annotation);
  return h(
    'sup',
    { class: 'cite' },
    href
      ? h('a', { href, title, target: '_blank', rel: 'noopener noreferrer' }, label)
      : h('span', { title }, label),
  );
}

function sourceList(sources) {
  return h(
    'ol',
    { class: 'sources' },
    sources.map((c) => {
      const a = c.annotation;
      const href = safeHref(citationUrl(a));
      const title = citationTitle(a);
      return h(
        'li',
        { value: c.n },
        href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, title) : title,
        href && title !== href ? h('span', { class: 'source-url' }, ` ${new URL(href).host}`) : null,
      );
    }),
  );
}
