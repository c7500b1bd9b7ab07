/**
 * One step of an interaction as a card of the timeline: user input, thoughts, model output (markdown, media,
 * citations), tool calls with their arguments and results, code and its output. A step type this page does
 * not know is shown as its JSON, never dropped.
 */
import { externalLink, h, jsonBlock } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { mediaElement } from './media.js';

const LABELS = {
  user_input: 'User',
  model_output: 'Model',
  thought: 'Thought',
  function_call: 'Function call',
  function_result: 'Function result',
  code_execution_call: 'Code execution',
  code_execution_result: 'Code output',
  url_context_call: 'URL context',
  url_context_result: 'URL context result',
  google_search_call: 'Search',
  google_search_result: 'Search result',
  mcp_server_tool_call: 'MCP tool call',
  mcp_server_tool_result: 'MCP tool result',
  file_search_call: 'File search',
  file_search_result: 'File search result',
  google_maps_call: 'Maps',
  google_maps_result: 'Maps result',
};

/** `<li>` for `step`; `position` is its place in the timeline, `origin` `input` or `output`. */
export function renderStep(step, position, origin) {
  const type = typeof step?.type === 'string' ? step.type : 'unknown';
  const kind = type.endsWith('_call') ? 'call' : type.endsWith('_result') ? 'result' : type;
  return h(
    'li',
    { class: `step step-${kind}`, dataset: { step: type, position: String(position), origin } },
    h(
      'div',
      { class: 'step-head' },
      h('span', { class: 'step-label' }, LABELS[type] ?? type),
      stepTitle(step),
      step.is_error ? h('span', { class: 'tag tag-error' }, 'error') : null,
      origin === 'input' ? h('span', { class: 'tag' }, 'input') : null,
    ),
    h('div', { class: 'step-body' }, stepBody(step, type)),
  );
}

function stepTitle(step) {
  const name = step.server_name ? `${step.server_name}.${step.name ?? ''}` : step.name;
  const id = step.id ?? step.call_id;
  return [
    name ? h('code', { class: 'step-name' }, name) : null,
    id ? h('span', { class: 'step-id', title: 'call id' }, id) : null,
  ];
}

function stepBody(step, type) {
  switch (type) {
    case 'user_input':
      return contents(step.content, { markdown: false });
    case 'model_output':
      return [contents(step.content, { markdown: true }), step.error ? errorBox(step.error) : null];
    case 'thought':
      return thought(step);
    case 'code_execution_call':
      return code(step.arguments);
    case 'code_execution_result':
      return result(step.result, 'output');
    case 'url_context_call':
      return urlList(step.arguments?.urls);
    case 'url_context_result':
      return urlResults(step.result);
    case 'google_search_call':
      return queries(step.arguments?.queries);
    case 'google_search_result':
      return searchResults(step.result);
    case 'function_call':
    case 'mcp_server_tool_call':
      return argumentsBlock(step.arguments);
    case 'function_result':
    case 'mcp_server_tool_result':
    case 'file_search_result':
    case 'google_maps_result':
      return result(step.result);
    default:
      return jsonBlock(step);
  }
}

/** Content parts: text (markdown or plain), media, anything else as JSON. */
function contents(parts, { markdown }) {
  if (typeof parts === 'string') return markdown ? renderMarkdown(parts) : h('p', { class: 'plain' }, parts);
  if (!Array.isArray(parts) || parts.length === 0) return h('p', { class: 'empty' }, '(empty)');
  return parts.map((part) => {
    if (part?.type === 'text') {
      return markdown
        ? renderMarkdown(String(part.text ?? ''), Array.isArray(part.annotations) ? part.annotations : [])
        : h('p', { class: 'plain' }, String(part.text ?? ''));
    }
    if (['image', 'audio', 'video', 'document'].includes(part?.type)) return mediaElement(part);
    return jsonBlock(part);
  });
}

function thought(step) {
  const summary = typeof step.summary === 'string' ? [{ type: 'text', text: step.summary }] : step.summary;
  const signature =
    typeof step.signature === 'string' && step.signature !== ''
      ? h(
          'p',
          { class: 'signature', title: step.signature },
          `signature ${step.signature.slice(0, 16)}… (${step.signature.length} chars)`,
        )
      : null;
  if (!Array.isArray(summary) || summary.length === 0)
    return [h('p', { class: 'empty' }, '(no summary)'), signature];
  return [contents(summary, { markdown: true }), signature];
}

function code(args) {
  const language = args?.language ?? 'python';
  return [
    h('div', { class: 'code-lang' }, language),
    h(
      'pre',
      { class: 'code' },
      h('code', {}, typeof args?.code === 'string' ? args.code : JSON.stringify(args ?? {}, null, 2)),
    ),
  ];
}

function argumentsBlock(args) {
  // Still streaming: the JSON text received so far.
  if (typeof args === 'string') return jsonBlock(args, 'json partial');
  return jsonBlock(args ?? {});
}

/** A tool result: text as is, content parts rendered, anything else as JSON. */
function result(value, className = 'result') {
  if (typeof value === 'string') return h('pre', { class: className }, value);
  if (Array.isArray(value) && value.every((p) => p && typeof p === 'object' && typeof p.type === 'string')) {
    return contents(value, { markdown: false });
  }
  return jsonBlock(value ?? null);
}

function urlList(urls) {
  if (!Array.isArray(urls)) return jsonBlock(urls ?? null);
  return h(
    'ul',
    { class: 'urls' },
    urls.map((url) => h('li', {}, externalLink(String(url)))),
  );
}

function urlResults(results) {
  if (!Array.isArray(results)) return result(results);
  return h(
    'ul',
    { class: 'urls' },
    results.map((r) =>
      h(
        'li',
        {},
        externalLink(String(r?.url ?? '')),
        r?.status ? h('span', { class: 'tag' }, r.status) : null,
      ),
    ),
  );
}

/** Hits (`{url, title, snippet}`) as links; Gemini's suggestion chips are HTML and are not rendered. */
function searchResults(results) {
  if (!Array.isArray(results)) return result(results);
  return h(
    'ul',
    { class: 'hits' },
    results.map((r) => {
      if (r && typeof r === 'object' && typeof r.url === 'string') {
        return h(
          'li',
          {},
          externalLink(r.url, r.title),
          r.snippet ? h('div', { class: 'snippet' }, String(r.snippet)) : null,
        );
      }
      if (r && typeof r === 'object' && 'search_suggestions' in r) {
        return h('li', { class: 'muted' }, 'search suggestions (HTML, not rendered)');
      }
      return h('li', {}, jsonBlock(r));
    }),
  );
}

function queries(list) {
  if (!Array.isArray(list)) return jsonBlock(list ?? null);
  return h(
    'ul',
    { class: 'queries' },
    list.map((q) => h('li', {}, h('q', {}, String(q)))),
  );
}

export function errorBox(error) {
  const code = error?.code ?? '';
  return h(
    'div',
    { class: 'error-box' },
    code ? h('code', {}, String(code)) : null,
    ' ',
    String(error?.message ?? ''),
  );
}
