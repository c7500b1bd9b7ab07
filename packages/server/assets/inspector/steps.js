/**
 * The output of an interaction rebuilt from its event stream (steps revision): `step.start` opens step
 * `index`, `step.delta` adds to it, `step.stop` closes it; `interaction.*` events carry status and usage.
 * No DOM here: the timeline renders what this holds.
 */

const MEDIA_TYPES = new Set(['image', 'audio', 'document', 'video']);

export class StreamedInteraction {
  constructor() {
    /** Output steps by stream index. */
    this.outputs = [];
    /** Indexes changed since `takeChanged()`. */
    this.changed = new Set();
    this.status = undefined;
    this.usage = undefined;
    this.errors = [];
    /** `arguments_delta` fragments of function calls still streaming, by index. */
    this.fragments = new Map();
  }

  apply(event) {
    switch (event.event_type) {
      case 'interaction.created':
      case 'interaction.completed':
        if (event.interaction?.status) this.status = event.interaction.status;
        if (event.interaction?.usage) this.usage = event.interaction.usage;
        break;
      case 'interaction.status_update':
        if (event.status) this.status = event.status;
        if (event.usage) this.usage = event.usage;
        break;
      case 'step.start':
        this.outputs[event.index] = structuredClone(event.step ?? { type: 'unknown' });
        if (event.step?.type === 'function_call') this.fragments.set(event.index, []);
        this.changed.add(event.index);
        break;
      case 'step.delta':
        this.#delta(event.index, event.delta ?? {});
        break;
      case 'step.stop':
        this.#finishArguments(event.index);
        this.changed.add(event.index);
        break;
      case 'error':
        this.errors.push(event.error ?? {});
        break;
      default:
        break;
    }
  }

  /** The indexes changed since the last call, and forgets them. */
  takeChanged() {
    const changed = [...this.changed];
    this.changed.clear();
    return changed;
  }

  #delta(index, delta) {
    // A delta whose step.start was never seen (it should not happen from the start of a log): open one.
    this.outputs[index] ??= impliedStep(delta.type);
    const step = this.outputs[index];
    this.changed.add(index);
    if (delta.type === 'arguments_delta') {
      const fragments = this.fragments.get(index) ?? [];
      fragments.push(delta.arguments ?? '');
      this.fragments.set(index, fragments);
      // While it streams, the arguments show as the JSON text received so far.
      step.arguments = fragments.join('');
      return;
    }
    applyDelta(step, delta);
  }

  #finishArguments(index) {
    const fragments = this.fragments.get(index);
    if (!fragments) return;
    this.fragments.delete(index);
    const step = this.outputs[index];
    if (!step || fragments.length === 0) return;
    try {
      step.arguments = JSON.parse(fragments.join(''));
    } catch {
      step.arguments = fragments.join('');
    }
  }
}

function impliedStep(deltaType) {
  if (deltaType === 'text' || deltaType === 'text_annotation_delta' || MEDIA_TYPES.has(deltaType)) {
    return { type: 'model_output', content: [] };
  }
  if (deltaType === 'thought_summary' || deltaType === 'thought_signature') return { type: 'thought' };
  return { type: deltaType };
}

/** As the protocol package's `applyStepDelta`: texts concatenate, media append, tool fields merge. */
function applyDelta(step, delta) {
  const { type, ...fields } = delta;
  if (step.type === 'model_output') {
    step.content ??= [];
    const last = step.content.at(-1);
    if (type === 'text' || type === 'text_annotation_delta') {
      const target = last?.type === 'text' ? last : pushText(step.content);
      if (type === 'text') target.text += fields.text ?? '';
      if (fields.annotations) target.annotations = [...(target.annotations ?? []), ...fields.annotations];
    } else if (MEDIA_TYPES.has(type)) {
      if (last?.type === type && last.data === undefined && last.uri === undefined)
        Object.assign(last, delta);
      else step.content.push({ ...delta });
    }
    return;
  }
  if (step.type === 'thought') {
    if (type === 'thought_summary' && fields.content) {
      const summary =
        typeof step.summary === 'string' ? [{ type: 'text', text: step.summary }] : step.summary;
      step.summary = [...(summary ?? []), fields.content];
    } else if (type === 'thought_signature') {
      step.signature = fields.signature;
    }
    return;
  }
  if (step.type === 'user_input') return;
  Object.assign(step, fields);
}

function pushText(content) {
  const text = { type: 'text', text: '' };
  content.push(text);
  return text;
}
