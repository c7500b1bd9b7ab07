/**
 * A server-side agent: what serves a request whose `agent` (instead of `model`) names it. Unlike a model, an
 * agent runs a program of its own — several provider calls and server-executed tools — inside one
 * interaction, and streams it as ordinary steps. The engine hands it what a turn has (request, history, signal,
 * a step writer) plus the server's providers and tools. See docs/deep-research.md.
 */
import type { CanonicalRequest, InteractionsError, Item } from '@interplay/protocol';
import type { TurnOutcome, TurnResume } from '../engine/contract.ts';
import type { StepWriter } from '../engine/step-writer.ts';
import type { Provider } from '../providers/provider.ts';
import type { ServerToolRegistry } from '../tools/registry.ts';

export interface AgentContext {
  interactionId: string;
  /** The API key's owner id, or null in open mode: pass it on to server tools. */
  owner?: string | null;
  request: CanonicalRequest;
  /** Items of the earlier interactions of the `previous_interaction_id` chain, oldest first. Read-only. */
  history: () => Promise<readonly Item[]>;
  /** Aborted on cancel or shutdown: stop promptly and return `cancelled`. */
  signal: AbortSignal;
  /** Streams steps (output indexes 0, 1, 2 …) and keeps `writer.output` in step with them. */
  writer: StepWriter;
  /** The server's providers, in routing order; {@link providerFor} picks one. */
  providers: readonly Provider[];
  /** The server-executed tools (google_search, url_context, …), called directly by call type. */
  tools: ServerToolRegistry;
  toolTimeoutMs: number;
  toolConcurrency: number;
  /** A turn taken over (see {@link Agent.resumable}): where it goes on from. */
  resume?: TurnResume;
}

export interface Agent {
  /** For logs and errors, e.g. `deep-research`. */
  readonly name: string;
  /**
   * Checks a request before it runs (pure): the error to answer with (400 naming the field), or undefined.
   * The runtime calls it at create time; the engine calls it again before running, as a safety net.
   */
  validate?(request: CanonicalRequest): InteractionsError | undefined;
  /** Runs the whole interaction. Failures are data (`status: 'failed'`); a throw becomes `api_error`. */
  run(ctx: AgentContext): Promise<TurnOutcome>;
  /**
   * Whether `run` can go on from the steps of a turn taken over from a stopped replica (`ctx.resume`, whose
   * steps are already in `ctx.writer.output`). Without it, such a turn fails with a clear error.
   */
  readonly resumable?: boolean;
}

/** The first provider serving `model`, else the first serving `fallbackId` (e.g. the agent's own id). */
export function providerFor(
  providers: readonly Provider[],
  model: string,
  fallbackId?: string,
): Provider | undefined {
  const serves = (p: Provider, id: string) => p.supportsModel?.(id) ?? true;
  return (
    providers.find((p) => serves(p, model)) ??
    (fallbackId === undefined ? undefined : providers.find((p) => serves(p, fallbackId)))
  );
}
