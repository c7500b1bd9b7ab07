/**
 * Handoffs: an agent offers other agents as tools (`transfer_to_<name>`); when the model takes one, the
 * conversation goes on — the same server chain (`previous_interaction_id`), or the same client history in
 * stateless mode — under the other agent's instructions, tools and output type.
 */
import type { Item } from '@interplay/protocol';
import type { AnyAgent } from './agent.ts';

/**
 * What the next agent sees of the conversation (stateless mode only: in stateful mode the history lives on
 * the server). It gets every item before the step that took the handoff and returns the items to keep;
 * that step's own output (the handoff call) and its results are kept after them.
 */
export type HandoffInputFilter = (history: Item[]) => Item[];

export interface Handoff {
  readonly kind: 'handoff';
  readonly agent: AnyAgent;
  /** The tool the model calls to take it. */
  readonly toolName: string;
  readonly toolDescription: string;
  readonly inputFilter: HandoffInputFilter | undefined;
}

export interface HandoffOptions {
  /** Default `transfer_to_<agent name>`. */
  toolName?: string;
  /** Default: "Hand the conversation to <name>." and the agent's `handoffDescription`. */
  toolDescription?: string;
  inputFilter?: HandoffInputFilter;
}

/**
 * A handoff to `agent` with a custom tool name, description or input filter (an agent listed in
 * `handoffs` as it is gets the defaults).
 *
 * @example
 * const triage = new Agent({
 *   name: 'triage',
 *   instructions: 'Route the customer to the right specialist.',
 *   handoffs: [billing, handoff(refunds, { inputFilter: keepConversation })],
 * });
 */
export function handoff(agent: AnyAgent, options: HandoffOptions = {}): Handoff {
  const described = agent.handoffDescription ? ` ${agent.handoffDescription}` : '';
  return {
    kind: 'handoff',
    agent,
    toolName: options.toolName ?? `transfer_to_${agent.name}`,
    toolDescription: options.toolDescription ?? `Hand the conversation to ${agent.name}.${described}`,
    inputFilter: options.inputFilter,
  };
}

/**
 * An input filter that keeps only what the people and the models said: user inputs and model outputs,
 * without thoughts, tool calls and tool results.
 *
 * @example
 * handoff(refunds, { inputFilter: keepConversation })
 */
export function keepConversation(history: Item[]): Item[] {
  return history.filter((item) => item.type === 'user_input' || item.type === 'model_output');
}

export const isHandoff = (value: unknown): value is Handoff =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'handoff';
