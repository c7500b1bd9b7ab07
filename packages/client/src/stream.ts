/**
 * `InteractionStream`: an SSE response of either revision as an async iterable of wire events paired with
 * their canonical (steps-vocabulary) equivalents, with transparent resume after a dropped connection.
 *
 * Resume: when the connection ends before `[DONE]` or a terminal event (socket cut, idle timeout, a truncated
 * last frame), the stream reconnects with `GET …/interactions/{id}?stream=true&last_event_id=<last>` and goes
 * on. Nothing is lost or repeated: events already seen by `event_id` are dropped, and events without an
 * `event_id` received after the last cursor are counted and skipped when the server replays them.
 */
import {
  type ByRevision,
  type CanonicalEvent,
  type CanonicalInteraction,
  type InteractionStatus,
  type InteractionsError,
  type LegacyEvent,
  type Revision,
  SseDecoder,
  type StepsEvent,
} from '@interplay/protocol';
import { type EventAdapter, newEventAdapter, type StreamAccumulator } from './convert.ts';
import {
  AbortedError,
  ConnectionError,
  errorFromJson,
  malformedStreamError,
  toClientError,
} from './errors.ts';
import type { OpenResponse } from './http.ts';

/** A wire event of revision `R`. */
export type WireEvent<R extends Revision = Revision> = ByRevision<R, LegacyEvent, StepsEvent>;

/** One event of a stream: the wire event as received, and what it means in the canonical vocabulary. */
export interface StreamEvent<R extends Revision = Revision> {
  raw: WireEvent<R>;
  /** Zero or more canonical events (legacy events are converted by a stateful converter). */
  events: CanonicalEvent[];
}

/** How an {@link InteractionStream} reopens itself; supplied by the client. */
export interface StreamSource {
  revision: Revision;
  first: OpenResponse;
  /** Open `GET …/{id}?stream=true[&last_event_id=]` (with the client's retries). */
  reconnect: (id: string, lastEventId: string | undefined) => Promise<OpenResponse>;
  /** Reconnect after a drop (needs a stored interaction). */
  resume: boolean;
  /** Consecutive reconnections without a new event before giving up. */
  maxResumes: number;
  interactionId?: string;
  lastEventId?: string;
}

const TERMINAL_EVENTS = new Set(['interaction.complete', 'interaction.completed']);

type ConnectionResult =
  | { kind: 'finished' }
  | { kind: 'dropped'; error: InteractionsError; progress: boolean };

/**
 * A live interaction stream. Iterate it once; `finalInteraction()` drains what is left.
 *
 * @example
 * const stream = await client.stream({ model: 'gemini-3-flash-preview', input: 'Hi' });
 * for await (const { events } of stream) {
 *   for (const e of events) if (e.event_type === 'step.delta' && e.delta.type === 'text') process.stdout.write(e.delta.text);
 * }
 * const final = await stream.finalInteraction();
 */
export class InteractionStream<R extends Revision = Revision> implements AsyncIterable<StreamEvent<R>> {
  readonly revision: R;
  /** Known from the first event (or up front for `getStream`). */
  interactionId: string | undefined;
  /** The last `event_id` received: the resume cursor. */
  lastEventId: string | undefined;
  /** The latest status reported by the stream. */
  status: InteractionStatus | undefined;
  /** Request id of the first response. */
  readonly requestId: string | undefined;
  /** How many times the stream reconnected. */
  resumes = 0;
  /** Canonical reassembly of everything received so far. */
  readonly accumulator: StreamAccumulator;

  readonly #source: StreamSource;
  readonly #adapter: EventAdapter;
  readonly #seen = new Set<string>();
  #sinceCursor = 0;
  #skip = 0;
  #terminal = false;
  #iterator: AsyncGenerator<StreamEvent<R>, void, undefined> | undefined;
  #requestId: string | undefined;
  #failure: unknown;

  constructor(source: StreamSource) {
    this.#source = source;
    this.revision = source.revision as R;
    this.interactionId = source.interactionId;
    this.lastEventId = source.lastEventId;
    this.requestId = source.first.requestId;
    this.#requestId = source.first.requestId;
    this.#adapter = newEventAdapter(source.revision, () => this.#requestId);
    this.accumulator = this.#adapter.accumulator;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent<R>> {
    if (this.#iterator) throw new Error('An InteractionStream can be iterated only once');
    this.#iterator = this.#run();
    return this.#iterator;
  }

  /**
   * Read the stream to its end (if not already) and return the reassembled interaction. Rejects with the
   * stream's error if it failed.
   */
  async finalInteraction(): Promise<CanonicalInteraction> {
    if (!this.#iterator) for await (const _ of this) void _;
    else for (;;) if ((await this.#iterator.next()).done) break;
    if (this.#failure !== undefined) throw this.#failure;
    const interaction = this.accumulator.interaction;
    if (!interaction) throw new ConnectionError('Stream ended without an interaction', 'transfer');
    return interaction;
  }

  /** Stop reading and release the connection. Safe to call at any time, also before iterating. */
  async close(): Promise<void> {
    if (!this.#iterator) {
      this.#iterator = this.#run();
      // A generator that never started runs no `finally`: release the first response here.
      this.#source.first.control.dispose();
      this.#source.first.body.destroy();
    }
    await this.#iterator.return(undefined);
  }

  async *#run(): AsyncGenerator<StreamEvent<R>, void, undefined> {
    let res: OpenResponse | undefined = this.#source.first;
    let fruitless = 0;
    try {
      for (;;) {
        const result: ConnectionResult = yield* this.#readConnection(res);
        res = undefined;
        if (result.kind === 'finished') return;
        const id = this.interactionId;
        if (!this.#source.resume || id === undefined) throw result.error;
        fruitless = result.progress ? 1 : fruitless + 1;
        if (fruitless > this.#source.maxResumes) throw result.error;
        this.resumes++;
        this.#skip = this.#sinceCursor;
        res = await this.#source.reconnect(id, this.lastEventId);
        this.#requestId = res.requestId ?? this.#requestId;
      }
    } catch (error) {
      this.#failure = error;
      throw error;
    } finally {
      if (res) {
        res.control.dispose();
        res.body.destroy();
      }
    }
  }

  async *#readConnection(res: OpenResponse): AsyncGenerator<StreamEvent<R>, ConnectionResult, undefined> {
    const { control, body } = res;
    const decoder = new SseDecoder();
    const iterator = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let pending: InteractionsError | undefined;
    let dropped: InteractionsError | undefined;
    let progress = false;
    let clean = false;
    try {
      for (;;) {
        control.arm('stream (waiting for data)');
        let next: IteratorResult<Buffer>;
        try {
          next = await iterator.next();
        } catch (err) {
          dropped = toClientError(control.signal.aborted ? control.signal.reason : err, this.#requestId);
          if (dropped instanceof AbortedError) throw dropped;
          break;
        } finally {
          control.disarm();
        }
        const items = next.done ? decoder.end() : decoder.push(next.value);
        for (const item of items) {
          if (pending) throw pending;
          if (item.kind === 'done') {
            clean = true;
            return { kind: 'finished' };
          }
          if (item.kind === 'malformed') {
            // A bare JSON error line (content-filter refusal) is fatal; other junk is fatal unless it is the
            // truncated tail of a cut connection, which resume repairs.
            const carried = errorFromJson(item.json, this.#requestId);
            if (carried) throw carried;
            pending = malformedStreamError(`${item.reason}: ${item.raw.slice(0, 200)}`, this.#requestId);
            continue;
          }
          const out = this.#accept(item.data);
          if (out) {
            progress = true;
            yield out;
          }
        }
        if (next.done) break;
      }
      if (this.#terminal && !pending) {
        clean = true;
        return { kind: 'finished' };
      }
      const error =
        pending ??
        dropped ??
        new ConnectionError('Stream ended before [DONE] or a terminal event', 'transfer', {
          requestId: this.#requestId,
        });
      return { kind: 'dropped', error, progress };
    } finally {
      control.dispose();
      if (clean) body.dump().catch(() => {});
      else body.destroy();
    }
  }

  /** Dedupe, track cursor/id/status, convert. `undefined` = skip. Throws on a non-empty `error` event. */
  #accept(data: Record<string, unknown>): StreamEvent<R> | undefined {
    const id = typeof data.event_id === 'string' && data.event_id !== '' ? data.event_id : undefined;
    if (id !== undefined && this.#seen.has(id)) return undefined;
    if (id === undefined && this.#skip > 0) {
      this.#skip--;
      return undefined;
    }
    this.#skip = 0;
    if (id !== undefined) {
      this.#seen.add(id);
      this.lastEventId = id;
      this.#sinceCursor = 0;
    } else {
      this.#sinceCursor++;
    }
    if (data.event_type === 'error') {
      const error = errorFromJson(data, this.#requestId);
      if (error) throw error;
      return undefined; // empty error event: non-fatal (reference §10.5)
    }
    const { raw, events } = this.#adapter.push(data);
    this.#track(data);
    return { raw: raw as WireEvent<R>, events };
  }

  #track(data: Record<string, unknown>): void {
    const type = String(data.event_type);
    const interaction = data.interaction as { id?: unknown; status?: unknown } | undefined;
    if (interaction && typeof interaction.id === 'string' && this.interactionId === undefined) {
      this.interactionId = interaction.id;
    }
    if (typeof data.interaction_id === 'string' && this.interactionId === undefined) {
      this.interactionId = data.interaction_id;
    }
    const status = typeof data.status === 'string' ? data.status : interaction?.status;
    if (typeof status === 'string' && (type === 'interaction.status_update' || interaction)) {
      this.status = status as InteractionStatus;
    }
    if (TERMINAL_EVENTS.has(type)) this.#terminal = true;
  }
}
