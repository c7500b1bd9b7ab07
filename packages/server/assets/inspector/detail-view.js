/**
 * One interaction: its header (status, model or agent, times, usage), its place in a
 * `previous_interaction_id` chain, cancel and delete, and its timeline. A running interaction is followed
 * live over its event stream, and read again once it has finished.
 */
import { cancelInteraction, deleteInteraction, getExtras, getInteraction } from './api.js';
import { fill, formatDuration, formatTime, h, jsonBlock, RUNNING_STATUSES, statusBadge } from './dom.js';
import { followEvents } from './live.js';
import { StreamedInteraction } from './steps.js';
import { errorBox, renderStep } from './timeline.js';

const USAGE_FIELDS = [
  ['total_input_tokens', 'input'],
  ['total_cached_tokens', 'cached'],
  ['total_output_tokens', 'output'],
  ['total_thought_tokens', 'thought'],
  ['total_tool_use_tokens', 'tool use'],
  ['total_tokens', 'total'],
];

const REQUEST_FIELDS = [
  'system_instruction',
  'tools',
  'generation_config',
  'agent_config',
  'response_format',
];

export async function renderDetail(root, id, signal) {
  const [resource, extras] = await Promise.all([getInteraction(id, signal), getExtras(id, signal)]);
  if (signal.aborted) return;
  const view = new DetailView(root, id, extras, signal);
  view.show(resource);
  if (RUNNING_STATUSES.has(resource.status)) view.follow(resource);
}

class DetailView {
  constructor(root, id, extras, signal) {
    this.id = id;
    this.extras = extras;
    this.signal = signal;
    this.following = false;
    this.root = root;
    this.header = h('section', { class: 'detail-head' });
    this.message = h('p', { class: 'message', role: 'status' });
    this.timeline = h('ol', { class: 'timeline' });
    this.request = h('div', { class: 'request' });
    fill(
      root,
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, '← All interactions')),
      this.header,
      this.message,
      this.timeline,
      this.request,
    );
  }

  /** Everything from a resource read with GET (input steps first, then output steps). */
  show(resource) {
    this.resource = resource;
    this.renderHeader(resource.status, resource.usage);
    const steps = Array.isArray(resource.steps) ? resource.steps : [];
    fill(
      this.timeline,
      ...steps.map((step, i) => renderStep(step, i, i < this.extras.input_count ? 'input' : 'output')),
    );
    fill(this.request, requestDetails(resource));
  }

  renderHeader(status, usage) {
    const r = this.resource;
    // Redrawn only when something in it changed: a button replaced under the pointer would miss its click.
    const key = JSON.stringify([
      r.id,
      r.status,
      r.updated,
      r.errors,
      status,
      usage,
      this.following,
      this.extras,
    ]);
    if (key === this.headerKey) return;
    this.headerKey = key;
    const running = RUNNING_STATUSES.has(status);
    const live = this.following
      ? h('span', { class: 'live', 'data-live': this.liveState ?? 'following' }, this.liveText ?? 'live')
      : null;
    this.root.dataset.status = status;
    fill(
      this.header,
      h('h1', {}, h('span', { class: 'interaction-id' }, r.id), ' ', statusBadge(status), ' ', live),
      h(
        'dl',
        { class: 'meta' },
        field(r.agent ? 'Agent' : 'Model', r.agent ?? r.model ?? '—'),
        field('Created', formatTime(r.created)),
        field('Updated', formatTime(r.updated)),
        field('Duration', running ? 'running' : formatDuration(r.created, r.updated) || '—'),
        field('Mode', this.extras.background ? 'background' : 'foreground'),
      ),
      chain(r.previous_interaction_id, this.extras.continued_by),
      usageTable(usage),
      Array.isArray(r.errors) && r.errors.length > 0 ? r.errors.map(errorBox) : null,
      this.actions(running),
    );
  }

  actions(running) {
    const cancel =
      this.extras.background && running
        ? h(
            'button',
            { type: 'button', class: 'cancel', onclick: (e) => this.cancel(e.currentTarget) },
            'Cancel',
          )
        : null;
    const remove = h(
      'button',
      { type: 'button', class: 'delete danger', onclick: (e) => this.remove(e.currentTarget) },
      'Delete',
    );
    return h('div', { class: 'actions' }, cancel, remove);
  }

  async cancel(button) {
    button.disabled = true;
    try {
      await cancelInteraction(this.id);
      this.say('Cancelled.');
      // A followed stream ends by itself with the cancellation; otherwise read the result now.
      if (!this.following) await this.reload();
    } catch (error) {
      this.say(`Could not cancel: ${error.message}`, true);
      button.disabled = false;
    }
  }

  async remove(button) {
    if (!confirm(`Delete interaction ${this.id}? Its steps and events are removed for good.`)) return;
    button.disabled = true;
    try {
      await deleteInteraction(this.id);
      location.hash = '#/';
    } catch (error) {
      this.say(`Could not delete: ${error.message}`, true);
      button.disabled = false;
    }
  }

  say(text, isError = false) {
    this.message.textContent = text;
    this.message.classList.toggle('error', isError);
  }

  async reload() {
    const [resource, extras] = await Promise.all([
      getInteraction(this.id, this.signal),
      getExtras(this.id, this.signal),
    ]);
    if (this.signal.aborted) return;
    this.extras = extras;
    this.show(resource);
  }

  /** Follows the event stream: input steps from the resource, output steps as the stream builds them. */
  async follow(resource) {
    const inputs = (resource.steps ?? []).slice(0, this.extras.input_count);
    const state = new StreamedInteraction();
    const items = inputs.map((step, i) => renderStep(step, i, 'input'));
    fill(this.timeline, ...items);
    this.following = true;
    this.setLive('following', 'live');
    this.renderHeader(resource.status, resource.usage);
    let frame = 0;
    const paint = () => {
      frame = 0;
      for (const index of state.takeChanged()) {
        const position = inputs.length + index;
        const item = renderStep(state.outputs[index], position, 'output');
        if (items[position]) items[position].replaceWith(item);
        else this.timeline.append(item);
        items[position] = item;
      }
      this.renderHeader(state.status ?? resource.status, state.usage ?? resource.usage);
    };
    try {
      await followEvents(this.id, {
        signal: this.signal,
        onEvent: (event) => {
          state.apply(event);
          if (this.liveState !== 'following') this.setLive('following', 'live');
          if (frame === 0) frame = requestAnimationFrame(paint);
        },
        onReconnect: (attempt) => {
          this.setLive('reconnecting', attempt > 1 ? `reconnecting (attempt ${attempt})` : 'reconnecting');
          this.renderHeader(state.status ?? resource.status, state.usage ?? resource.usage);
        },
      });
      if (this.signal.aborted) return;
      this.following = false;
      await this.reload();
    } catch (error) {
      if (this.signal.aborted) return;
      this.following = false;
      this.say(`The live view stopped: ${error.message}`, true);
      this.renderHeader(state.status ?? resource.status, state.usage ?? resource.usage);
    }
  }

  setLive(state, text) {
    this.liveState = state;
    this.liveText = text;
    const live = this.header.querySelector('.live');
    if (live) {
      live.dataset.live = state;
      live.textContent = text;
    }
  }
}

function field(name, value) {
  return [h('dt', {}, name), h('dd', {}, value)];
}

function chain(previousId, continuedBy = []) {
  if (!previousId && continuedBy.length === 0) return null;
  return h(
    'nav',
    { class: 'chain', 'aria-label': 'Chain' },
    previousId
      ? h(
          'a',
          { class: 'previous', href: `#/i/${encodeURIComponent(previousId)}` },
          `← continues ${previousId}`,
        )
      : null,
    continuedBy.length > 0
      ? h(
          'span',
          { class: 'next' },
          'continued by ',
          continuedBy.map((next, i) => [
            i > 0 ? ', ' : '',
            h('a', { href: `#/i/${encodeURIComponent(next)}` }, `${next} →`),
          ]),
        )
      : null,
  );
}

function usageTable(usage) {
  if (!usage) return null;
  const rows = USAGE_FIELDS.filter(([key]) => typeof usage[key] === 'number');
  if (rows.length === 0) return null;
  return h(
    'table',
    { class: 'usage' },
    h('caption', {}, 'Tokens'),
    h(
      'tr',
      {},
      rows.map(([, label]) => h('th', { scope: 'col' }, label)),
    ),
    h(
      'tr',
      {},
      rows.map(([key]) => h('td', { 'data-usage': key }, usage[key].toLocaleString())),
    ),
  );
}

function requestDetails(resource) {
  const present = REQUEST_FIELDS.filter((name) => resource[name] !== undefined);
  if (present.length === 0) return null;
  return h(
    'details',
    {},
    h('summary', {}, `Request settings (${present.join(', ')})`),
    present.map((name) => [h('h3', {}, name), jsonBlock(resource[name])]),
  );
}
