/**
 * `wait()`: follow a (background) interaction to a terminal status. Streams first (the stream resumes itself
 * from the last `event_id` after a drop), reconnects after a stream that ended early, and falls back to
 * polling `GET` with backoff when streaming keeps failing or is not supported.
 */
import {
  type InteractionStatus,
  InteractionsError,
  isTerminalStatus,
  type Revision,
} from '@interplay/protocol';
import { AbortedError } from './errors.ts';
import { sleep } from './http.ts';
import type { RequestOptions } from './options.ts';
import type { InteractionStream, StreamEvent } from './stream.ts';

export interface WaitOptions<R extends Revision = Revision> extends RequestOptions {
  /** Called when the status changes (first report: `previous` is `undefined`). */
  onStatus?: (status: InteractionStatus, previous: InteractionStatus | undefined) => void;
  /** Called for every stream event (progress: deltas, steps, status updates). */
  onEvent?: (event: StreamEvent<R>) => void;
  /** On abort, also `cancel(id)` the interaction (best effort) before rejecting. */
  cancelOnAbort?: boolean;
  /** First polling interval (default 1 000 ms), growing ×1.5 per poll up to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  /** Default 10 000 ms. */
  maxPollIntervalMs?: number;
  /** Resume the stream after this event (a cursor saved earlier); without it the stream replays from the start. */
  lastEventId?: string;
  /** Follow by streaming (default `true`); `false` polls only. */
  stream?: boolean;
  /** Consecutive stream rounds without a new event before falling back to polling (default 3). */
  maxStreamFailures?: number;
}

/** What `wait` needs from the client. */
export interface WaitDeps<R extends Revision, T extends { raw: { status: InteractionStatus } }> {
  get(id: string, options: RequestOptions): Promise<T>;
  getStream(id: string, options: RequestOptions & { lastEventId?: string }): Promise<InteractionStream<R>>;
  cancel(id: string, options: RequestOptions): Promise<unknown>;
}

/**
 * Statuses `wait` returns on: terminal ones, and those that need the caller (`requires_action`,
 * `requires_continuation`, and `idle`: an agent waiting for its next turn). `queued`, `in_progress` and any
 * status this version does not know keep it waiting.
 */
export function isSettled(status: InteractionStatus): boolean {
  return (
    isTerminalStatus(status) ||
    status === 'requires_action' ||
    status === 'requires_continuation' ||
    status === 'idle'
  );
}

/** An error meaning "this server cannot stream this GET", so polling is the way forward. */
function streamingUnsupported(error: unknown): boolean {
  if (!(error instanceof InteractionsError)) return false;
  if (error.code === 'api_error' && error.message.startsWith('Expected text/event-stream')) return true;
  return error.status === 400 || error.status === 405 || error.status === 406 || error.status === 501;
}

export async function waitFor<R extends Revision, T extends { raw: { status: InteractionStatus } }>(
  deps: WaitDeps<R, T>,
  id: string,
  options: WaitOptions<R> = {},
): Promise<T> {
  const { signal, timeoutMs, headers, maxRetries } = options;
  const req: RequestOptions = { signal, timeoutMs, headers, maxRetries };
  const pollStart = options.pollIntervalMs ?? 1_000;
  const pollMax = Math.max(pollStart, options.maxPollIntervalMs ?? 10_000);
  const maxStreamFailures = options.maxStreamFailures ?? 3;
  let status: InteractionStatus | undefined;
  const report = (next: InteractionStatus | undefined) => {
    if (next === undefined || next === status) return;
    const previous = status;
    status = next;
    options.onStatus?.(next, previous);
  };
  const fetchSettled = async (): Promise<T | undefined> => {
    const result = await deps.get(id, req);
    report(result.raw.status);
    return isSettled(result.raw.status) ? result : undefined;
  };

  try {
    let streaming = options.stream !== false;
    let failures = 0;
    let lastEventId = options.lastEventId;
    while (streaming) {
      let stream: InteractionStream<R> | undefined;
      let progress = false;
      try {
        stream = await deps.getStream(id, { ...req, lastEventId });
        for await (const event of stream) {
          progress = true;
          options.onEvent?.(event);
          report(stream.status);
        }
        lastEventId = stream.lastEventId;
        const settled = await fetchSettled();
        if (settled) return settled;
      } catch (error) {
        if (error instanceof AbortedError) throw error;
        if (stream?.lastEventId) lastEventId = stream.lastEventId;
        if (streamingUnsupported(error)) break;
        if (error instanceof InteractionsError && error.status >= 400 && error.status !== 408) {
          // A real API error (e.g. failed mid-stream): the interaction's own status tells what happened.
          const settled = await fetchSettled();
          if (settled) return settled;
        }
      }
      failures = progress ? 0 : failures + 1;
      if (failures >= maxStreamFailures) streaming = false;
      else if (!progress) await sleep(pollStart, signal);
    }

    let interval = pollStart;
    for (;;) {
      const settled = await fetchSettled();
      if (settled) return settled;
      await sleep(interval, signal);
      interval = Math.min(pollMax, Math.round(interval * 1.5));
    }
  } catch (error) {
    if (error instanceof AbortedError && options.cancelOnAbort) {
      try {
        await deps.cancel(id, { timeoutMs, headers });
      } catch {
        // best effort: the abort is what the caller asked about
      }
    }
    throw error;
  }
}
