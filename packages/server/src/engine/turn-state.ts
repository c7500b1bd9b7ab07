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
