/**
 * Following one agent or model step's interaction to a settled status, its server events turned into
 * progress: a foreground step is one create (streamed, or unary); a background step is a create that
 * returns `in_progress`, then the backend's `follow` (the client's `wait`: stream from the saved cursor,
 * resume after drops, poll when the server cannot stream) — or, for a step with `webhook`, its webhook
 * (webhook-wait.ts). A resumed handle only follows. Every server event
 * moves the step's cursor *before* its progress goes out, so a handle saved from a progress listener resumes
 * after that event.
 */
import type { CanonicalInteraction, CanonicalRequest } from '@interplay/protocol';
import type { BackendEvent } from '../backend/backend.ts';
import { ProgressMapper } from './progress.ts';
import type { LeafState } from './state.ts';
import type { StepEnv } from './step-env.ts';
import type { LeafStep } from './steps.ts';
import { waitByWebhook } from './webhook-wait.ts';

/** Start the step with `request` (absent: the step already runs on the server) and follow it. */
export async function followStep(
  env: StepEnv,
  leaf: LeafState,
  step: LeafStep,
  request: CanonicalRequest | undefined,
): Promise<CanonicalInteraction> {
  const { backend, signal } = env;
  const progress = () => new ProgressMapper(env.flowId, step.name, leaf.interactionId, (e) => env.emit(e));
  if (request && !step.background && step.kind === 'model') {
    if (!step.stream) {
      const interaction = await backend.create(request, { signal });
      env.begin(leaf, step, interaction.id, false);
      return interaction;
    }
    env.begin(leaf, step, undefined, false);
    const mapper = progress();
    const stream = await backend.stream(request, { signal });
    for await (const event of stream) onEvent(env, leaf, mapper, event);
    return stream.finalInteraction();
  }
  if (request) {
    const created = await backend.create(request, { signal });
    env.begin(leaf, step, created.id, false);
  } else {
    env.begin(leaf, step, leaf.interactionId, true);
  }
  if (step.webhook) return waitByWebhook(backend, leaf.interactionId!, step.webhook, signal);
  const mapper = progress();
  return backend.follow(leaf.interactionId!, {
    signal,
    ...(leaf.cursor === undefined ? {} : { lastEventId: leaf.cursor }),
    onEvent: (event) => onEvent(env, leaf, mapper, event),
  });
}

function onEvent(env: StepEnv, leaf: LeafState, progress: ProgressMapper, event: BackendEvent): void {
  if (event.eventId) leaf.cursor = event.eventId;
  for (const canonical of event.events) {
    progress.push(canonical, event.eventId);
    if (!leaf.interactionId && progress.interactionId) env.noteInteraction(leaf, progress.interactionId);
  }
}
