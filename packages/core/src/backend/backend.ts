/**
 * The one seam between @interplay/core and the Interactions API: everything the run loop and flows ask of
 * the API, on canonical requests and interactions, whichever wire revision is spoken underneath.
 * `clientBackend(client)` implements it with `@interplay/client`; a test or an application can supply its
 * own (a recorded or scripted one, a proxy that adds headers, …).
 *
 * @example
 * const backend = clientBackend(new InteractionsClient({ revision: 'legacy' }));
 * const runner = new Runner({ backend, model: 'gemini-3-flash-preview' });
 * const handle = await chain(research, summarize).start(backend, 'Research TPU history');
 */
import type { CanonicalEvent, CanonicalInteraction, CanonicalRequest } from '@interplay/protocol';

export interface BackendCallOptions {
  signal?: AbortSignal;
}

/** One server-sent event: its canonical meaning (zero or more events) and its `event_id`, the resume cursor. */
export interface BackendEvent {
  eventId: string | undefined;
  events: CanonicalEvent[];
}

/** The events of a streamed create, as they arrive. Iterate once. */
export interface BackendStream extends AsyncIterable<BackendEvent> {
  /** Read whatever is left and return the interaction the stream described. */
  finalInteraction(): Promise<CanonicalInteraction>;
}

export interface FollowOptions extends BackendCallOptions {
  /** Resume after this event (a saved cursor); without it the interaction's stream is replayed from its start. */
  lastEventId?: string;
  /** Every event seen while following, in order. */
  onEvent?: (event: BackendEvent) => void;
}

export interface InteractionsBackend {
  /** Create an interaction and wait for the response (`stream: false`): finished, or `in_progress` in the background. */
  create(request: CanonicalRequest, options?: BackendCallOptions): Promise<CanonicalInteraction>;
  /** Create an interaction and stream it (`stream: true`). */
  stream(request: CanonicalRequest, options?: BackendCallOptions): Promise<BackendStream>;
  /**
   * Follow an interaction until it is settled (`isSettled`: terminal, or waiting for the caller), streaming
   * with resume and falling back to polling; resolves with the interaction as `get` then returns it.
   */
  follow(id: string, options?: FollowOptions): Promise<CanonicalInteraction>;
  get(id: string, options?: BackendCallOptions): Promise<CanonicalInteraction>;
  /** Cancel a running background interaction. */
  cancel(id: string, options?: BackendCallOptions): Promise<void>;
}
