/**
 * The seam between the HTTP runtime (which stores interactions and frames their streams) and the engine
 * (which runs one interaction's turn: provider → server-executed tools → provider … until an answer or a
 * client function call).
 */
import type {
  CanonicalRequest,
  ErrorBody,
  Item,
  StepDeltaEvent,
  StepStartEvent,
  StepStopEvent,
  Usage,
} from '@interplay/protocol';

/**
 * Step-level events the engine emits, without `event_id`; the runtime adds `interaction.*` events and every
 * `event_id`. (Not `Omit<…, 'event_id'>`: Omit over these index-signature types erases every named field.)
 */
export type EngineEvent = StepStartEvent | StepDeltaEvent | StepStopEvent;

export interface TurnInput {
  interactionId: string;
  /**
   * The API key's owner id (its SHA-256) that created the interaction, or null in open mode (or unknown).
   * Server tools get it to share capacity fairly between keys; optional so a caller without keys may omit it.
   */
  owner?: string | null;
  /** This interaction's request; `request.input` holds only its own new items. */
  request: CanonicalRequest;
  /**
   * Items of every earlier interaction in the `previous_interaction_id` chain, oldest first.
   * Lazy, so a turn that never looks at history costs the same at turn 1 and turn 1,000. Read-only: the same
   * array and (frozen) items serve every turn that continues the chain.
   */
  history: () => Promise<readonly Item[]>;
  /**
   * The stored interactions whose items `history` returns, oldest first (each one's input, then its output),
   * when the caller knows them: handed to the provider as `ProviderRequest.history`.
   */
  historyIds?: readonly string[] | undefined;
  /** Aborted when the interaction is cancelled or the server shuts down. */
  signal: AbortSignal;
  /**
   * A turn taken over from a replica that stopped (store/replica-store.ts): the steps it had completed, in
   * order, and whether it stopped in the middle of the next one. The turn goes on after them — its next step
   * has index `steps.length` — doing what they call for (engine/turn-state.ts, `resumeNext`). Absent or
   * undefined: a new turn.
   */
  resume?: TurnResume;
}

/** Where a turn taken over goes on from. */
export interface TurnResume {
  /** The steps completed before (their `step.stop` was stored), from index 0. */
  steps: readonly Item[];
  /** A step after them had started and not stopped: the model (or a tool) was interrupted mid-step. */
  interrupted: boolean;
}

export interface TurnSink {
  /**
   * Hands `event` over to the runtime, which stamps its `event_id` on it and keeps it in the interaction's
   * log: emit a new object each time, and do not change it afterwards.
   */
  emit(event: EngineEvent): void;
  /**
   * Optional: an engine that keeps the turn's output as it goes (`output[i]` is the step at index `i`, up to
   * date with every event emitted so far) hands that array over once, before its first event. The runtime
   * then reads a running interaction's output from it instead of rebuilding it from the events (a streamed
   * answer's text would otherwise be kept twice). The built-in engine's step writer does this.
   *
   * @example
   * const output: Item[] = [];
   * sink.shareOutput?.(output);
   * output.push(item);
   * sink.emit({ event_type: 'step.start', index: 0, step: structuredClone(item) });
   */
  shareOutput?(output: readonly Item[]): void;
}

/** How a turn ended. `output` holds every item produced, in stream order (indexes match events). */
export type TurnOutcome =
  | { status: 'completed'; output: Item[]; usage: Usage }
  | { status: 'requires_action'; output: Item[]; usage: Usage }
  | { status: 'incomplete'; output: Item[]; usage: Usage; reason: string }
  | { status: 'cancelled'; output: Item[]; usage: Usage }
  /** An agent spent its budget (e.g. Deep Research's `maxTotalTokens`) and stopped with what it had. */
  | { status: 'budget_exceeded'; output: Item[]; usage: Usage }
  | { status: 'failed'; output: Item[]; usage: Usage; error: ErrorBody };

export interface Engine {
  runTurn(input: TurnInput, sink: TurnSink): Promise<TurnOutcome>;
}
