/** What the engine's loop does next, and how the outcome of one provider call decides it. */
import type { ErrorBody, Item } from '@interplay/protocol';

export type Next =
  | { kind: 'call_provider' }
  | { kind: 'run_tools'; serverCalls: Item[]; clientCalls: number }
  | { kind: 'finish'; status: 'completed' | 'requires_action' }
  | { kind: 'incomplete'; reason: string }
  | { kind: 'cancelled' }
  | { kind: 'fail'; error: ErrorBody };

/** The calls one provider call produced, and whether the model stopped early. */
export interface ProviderRound {
  serverCalls: Item[];
  clientCalls: number;
  /** Why the model stopped before finishing (output-token limit, …), if it did. */
  incomplete?: string;
}

/**
 * After a provider call: a model that stopped early ends the turn `incomplete` (its calls may be cut short, so
 * none runs); otherwise server tools run first (even beside client calls), then the turn may end.
 */
export function afterProvider(round: ProviderRound): Next {
  if (round.incomplete !== undefined) return { kind: 'incomplete', reason: round.incomplete };
  if (round.serverCalls.length > 0) return { kind: 'run_tools', ...round };
  return { kind: 'finish', status: round.clientCalls > 0 ? 'requires_action' : 'completed' };
}

/** After a tool round: hand client calls over, stop at the round limit, or let the model see the results. */
export function afterTools(clientCalls: number, toolRounds: number, maxToolRounds: number): Next {
  if (clientCalls > 0) return { kind: 'finish', status: 'requires_action' };
  if (toolRounds >= maxToolRounds) {
    return { kind: 'incomplete', reason: `stopped after ${maxToolRounds} rounds of server tool calls` };
  }
  return { kind: 'call_provider' };
}

/**
 * What a turn taken over after `steps` (its completed steps) does next:
 * - run its server tool calls that have no result yet (the round the replica was in);
 * - after a finished tool round, what a turn does after one (`afterTools`: hand client calls over, stop at
 *   the round limit — the rounds in `steps` count — or ask the model);
 * - else, unless a step was interrupted, end as the model's last answer did: with client function calls,
 *   `requires_action`; with model output, `completed`;
 * - else ask the model (again, for the step it was writing).
 */
export function resumeNext(
  steps: readonly Item[],
  interrupted: boolean,
  isServerCall: (item: Item) => boolean,
  maxToolRounds: number,
): { next: Next; toolRounds: number } {
  const results = new Set<unknown>();
  let toolRounds = 0;
  let lastRoundStart = 0;
  steps.forEach((item, i) => {
    if (typeof item.call_id !== 'string') return;
    results.add(item.call_id);
    const previous = steps[i - 1];
    if (previous === undefined || typeof previous.call_id !== 'string') toolRounds += 1;
    lastRoundStart = i + 1;
  });
  const serverCalls = steps.filter((item) => isServerCall(item) && !results.has(item.id));
  const clientCalls = steps.slice(lastRoundStart).filter((item) => item.type === 'function_call').length;
  const last = steps.at(-1);
  let next: Next = { kind: 'call_provider' };
  if (serverCalls.length > 0) next = { kind: 'run_tools', serverCalls, clientCalls };
  else if (interrupted) next = { kind: 'call_provider' };
  else if (typeof last?.call_id === 'string') next = afterTools(clientCalls, toolRounds, maxToolRounds);
  else if (clientCalls > 0) next = { kind: 'finish', status: 'requires_action' };
  else if (last?.type === 'model_output') next = { kind: 'finish', status: 'completed' };
  return { next, toolRounds };
}
