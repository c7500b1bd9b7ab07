/**
 * The list of interactions, newest first: filters (status, model, agent), a text search, and pages. The
 * filters live in the address (`#/?status=failed&q=…`) so a reload or a shared link keeps them; the server
 * examines a bounded number of interactions per page, so a page may come back short with more to search.
 */
import { listInteractions } from './api.js';
import { fill, formatDuration, formatTime, h, RUNNING_STATUSES, statusBadge } from './dom.js';

const STATUSES = [
  'in_progress',
  'requires_action',
  'completed',
  'failed',
  'cancelled',
  'incomplete',
  'queued',
];
export const FILTERS = ['status', 'model', 'agent', 'q'];
const PAGE_SIZE = 20;

/** `fail(error)` handles what a later page load throws (the first one's error is thrown from here). */
export async function renderList(root, filters, signal, fail) {
  const view = new ListView(root, filters, signal, fail);
  await view.load(undefined);
}

class ListView {
  constructor(root, filters, signal, fail) {
    this.filters = filters;
    this.signal = signal;
    this.fail = fail;
    /** Tokens of the pages before this one, for "Newer". */
    this.previous = [];
    this.token = undefined;
    this.table = h('tbody');
    this.status = h('p', { class: 'list-status', role: 'status' });
    this.pager = h('div', { class: 'pager' });
    fill(
      root,
      h('h1', {}, 'Interactions'),
      this.filterForm(),
      h(
        'table',
        { class: 'list' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Created', 'Interaction', 'Status', 'Model / agent', 'Input', 'Tokens', 'Duration'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        this.table,
      ),
      this.status,
      this.pager,
    );
  }

  filterForm() {
    const value = (name) => this.filters.get(name) ?? '';
    const status = h(
      'select',
      { name: 'status', 'aria-label': 'Status' },
      h('option', { value: '' }, 'Any status'),
      STATUSES.map((s) => h('option', { value: s, selected: value('status') === s }, s.replace('_', ' '))),
    );
    this.models = h('datalist', { id: 'models-seen' });
    const form = h(
      'form',
      { class: 'filters', role: 'search' },
      status,
      h('input', {
        name: 'model',
        placeholder: 'Model',
        value: value('model'),
        list: 'models-seen',
        'aria-label': 'Model',
      }),
      h('input', { name: 'agent', placeholder: 'Agent', value: value('agent'), 'aria-label': 'Agent' }),
      h('input', {
        name: 'q',
        type: 'search',
        placeholder: 'Search text or id',
        value: value('q'),
        'aria-label': 'Search',
      }),
      h('button', { type: 'submit' }, 'Apply'),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => navigate(new URLSearchParams()) },
        'Clear',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary refresh', onclick: () => this.load(this.token).catch(this.fail) },
        'Refresh',
      ),
      this.models,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const name of FILTERS) {
        const v = String(new FormData(form).get(name) ?? '').trim();
        if (v) params.set(name, v);
      }
      navigate(params);
    });
    status.addEventListener('change', () => form.requestSubmit());
    return form;
  }

  async load(token) {
    this.status.textContent = 'Loading…';
    const page = await listInteractions(
      {
        status: this.filters.get('status') ?? undefined,
        model: this.filters.get('model') ?? undefined,
        agent: this.filters.get('agent') ?? undefined,
        q: this.filters.get('q') ?? undefined,
        page_size: String(PAGE_SIZE),
        page_token: token,
      },
      this.signal,
    );
    if (this.signal.aborted) return;
    this.token = token;
    fill(this.table, page.interactions.map(row));
    const models = new Set(page.interactions.map((i) => i.model).filter(Boolean));
    fill(this.models, ...[...models].map((m) => h('option', { value: m })));
    this.status.textContent = statusLine(page, this.filters);
    fill(
      this.pager,
      this.previous.length > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'newer',
              onclick: () => this.load(this.previous.pop()).catch(this.fail),
            },
            '← Newer',
          )
        : null,
      page.next_page_token
        ? h(
            'button',
            {
              type: 'button',
              class: 'older',
              onclick: () => {
                this.previous.push(this.token);
                this.load(page.next_page_token).catch(this.fail);
              },
            },
            page.interactions.length < PAGE_SIZE ? 'Search older →' : 'Older →',
          )
        : null,
    );
  }
}

function statusLine(page, filters) {
  const filtered = FILTERS.some((name) => filters.get(name));
  const n = page.interactions.length;
  if (n === 0 && !page.next_page_token) return filtered ? 'No interaction matches.' : 'No interactions yet.';
  if (n < PAGE_SIZE && page.next_page_token) {
    return `${n === 0 ? 'No matches' : `${n} match${n === 1 ? '' : 'es'}`} among the interactions searched so far; older ones are not searched yet.`;
  }
  return '';
}

function row(i) {
  const href = `#/i/${encodeURIComponent(i.id)}`;
  const running = RUNNING_STATUSES.has(i.status);
  return h(
    'tr',
    {
      dataset: { id: i.id, status: i.status },
      onclick: (event) => {
        if (!event.target.closest('a')) location.hash = href;
      },
    },
    h('td', { class: 'created' }, formatTime(i.created)),
    h(
      'td',
      { class: 'id' },
      h('a', { href }, i.id),
      i.previous_interaction_id
        ? h('span', { class: 'tag', title: `continues ${i.previous_interaction_id}` }, 'chain')
        : null,
    ),
    h('td', {}, statusBadge(i.status), i.background ? h('span', { class: 'tag' }, 'bg') : null),
    h('td', { class: 'model' }, i.agent ?? i.model ?? ''),
    h(
      'td',
      { class: 'preview' },
      i.input_preview ?? (i.input_count > 0 ? `(${i.input_count} input items)` : ''),
    ),
    h(
      'td',
      { class: 'tokens' },
      typeof i.usage?.total_tokens === 'number' ? i.usage.total_tokens.toLocaleString() : '',
    ),
    h('td', { class: 'duration' }, running ? '…' : formatDuration(i.created, i.updated)),
  );
}

function navigate(params) {
  const query = params.toString();
  location.hash = query ? `#/?${query}` : '#/';
}
