/**
 * A model step with function tools: a core `Runner` run (several interactions) continuing the step's
 * source interaction. Its run events become flow progress; after each finished model call its `RunState` is
 * saved on the leaf, the point a resumed handle goes on from.
 */
import type { CanonicalInteraction, CanonicalRequest } from '@interplay/protocol';
import { Runner } from '../run/runner.ts';
import { RunState } from '../run/state.ts';
import type { FlowEvent } from './events.ts';
import type { LeafState } from './state.ts';
import type { StepEnv } from './step-env.ts';
import { RUNNER_STATUS } from './step-results.ts';
import type { ModelStep } from './steps.ts';

/** Run the step (from `request`, or from the leaf's saved run state) and return how it ended. */
export async function runRunnerStep(
  env: StepEnv,
  leaf: LeafState,
  step: ModelStep,
  request: CanonicalRequest | undefined,
): Promise<CanonicalInteraction> {
  let state: RunState;
  if (request) {
    state = new RunState({ input: request.input });
    state.lastInteractionId = request.previous_interaction_id;
  } else {
    state = RunState.fromJSON(leaf.runState);
  }
  leaf.runState = state.toJSON();
  env.begin(leaf, step, request ? undefined : leaf.interactionId, !request);
  const runner = new Runner({
    backend: env.backend,
    model: step.model,
    tools: step.tools ?? [],
    stream: step.stream,
    ...(step.instructions === undefined ? {} : { instructions: step.instructions }),
    ...(step.generationConfig === undefined ? {} : { generationConfig: step.generationConfig }),
    ...(step.maxSteps === undefined ? {} : { maxSteps: step.maxSteps }),
  });
  const base = { flowId: env.flowId, step: step.name };
  const events = runner.iterate(state, { signal: env.signal });
  for (let next = await events.next(); ; next = await events.next()) {
    if (next.done) {
      const result = next.value;
      leaf.runState = result.state.toJSON();
      if (result.lastInteractionId) env.noteInteraction(leaf, result.lastInteractionId);
      return {
        id: leaf.interactionId ?? '',
        status: RUNNER_STATUS[result.finishReason],
        output: result.steps.at(-1)?.output ?? [],
        usage: result.usage,
      };
    }
    const e = next.value;
    const cursor = 'cursor' in e && e.cursor ? { cursor: e.cursor } : {};
    let progress: FlowEvent | undefined;
    switch (e.type) {
      case 'status_change':
        env.noteInteraction(leaf, e.interactionId);
        progress = { ...base, type: 'status', interactionId: e.interactionId, status: e.status, ...cursor };
        break;
      case 'text_delta':
        progress = { ...base, type: 'text_delta', delta: e.delta, ...cursor };
        break;
      case 'thought_delta':
        progress = { ...base, type: 'thought_summary', text: e.delta, ...cursor };
        break;
      case 'tool_call': {
        const { id, name, arguments: args } = e.call;
        progress = {
          ...base,
          type: 'tool_call',
          callType: 'function_call',
          id,
          name,
          arguments: args,
          ...cursor,
        };
        break;
      }
      case 'tool_result': {
        const { callId, name, isError, result } = e.result;
        progress = {
          ...base,
          type: 'tool_result',
          resultType: 'function_result',
          callId,
          name,
          isError,
          result,
        };
        break;
      }
      case 'step_finish':
        if (e.result.interactionId) env.noteInteraction(leaf, e.result.interactionId);
        // A consistent resume point: the step's results are queued, nothing is in flight.
        leaf.runState = state.toJSON();
        break;
    }
    if (progress) env.emit(progress);
  }
}
