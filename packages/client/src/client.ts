/** `InteractionsClient`: the Interactions API (create, stream, get, delete, cancel, wait) over undici. */
import type {
  ByRevision,
  CanonicalInteraction,
  LegacyCreateRequest,
  LegacyInteraction,
  Revision,
  StepsCreateRequest,
  StepsInteraction,
} from '@interplay/protocol';
import { interactionToCanonical } from './convert.ts';
import { type HttpRequest, type OpenResponse, Transport } from './http.ts';
import {
  type ApiVersion,
  type ClientOptions,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  defaultDispatcher,
  interactionsPath,
  normalizeBaseUrl,
  type RequestOptions,
} from './options.ts';
import { InteractionStream } from './stream.ts';
import { type WaitOptions, waitFor } from './wait.ts';

/** The wire Interaction resource of revision `R`. */
export type WireInteraction<R extends Revision = Revision> = ByRevision<
  R,
  LegacyInteraction,
  StepsInteraction
>;

/** The create body of revision `R`. */
export type CreateBody<R extends Revision = Revision> = ByRevision<
  R,
  LegacyCreateRequest,
  StepsCreateRequest
>;

/** An interaction as received (`raw`) and in the canonical model (`interaction`). */
export interface InteractionResult<R extends Revision = Revision> {
  revision: R;
  raw: WireInteraction<R>;
  interaction: CanonicalInteraction;
  requestId?: string;
}

export interface StreamOptions extends RequestOptions {
  /** Reconnect with `last_event_id` after a dropped connection. Default: `true` unless `store: false`. */
  resume?: boolean;
  /** Consecutive reconnections without a new event before giving up (default 5). */
  maxResumes?: number;
}

export interface GetOptions extends RequestOptions {
  /** Ask for the interaction's input too (`include_input=true`). */
  includeInput?: boolean;
}

export interface GetStreamOptions extends StreamOptions {
  /** Resume after this event; without it the server replays the stream from the start. */
  lastEventId?: string;
}

const DEFAULT_MAX_RESUMES = 5;

/**
 * Client of the Gemini Interactions API (or any server speaking it, such as Interplay's).
 *
 * @example
 * const client = new InteractionsClient({ apiKey: process.env.GEMINI_API_KEY });
 * const { interaction } = await client.create({ model: 'gemini-3-flash-preview', input: 'Hello' });
 * console.log(interaction.status, interaction.output);
 *
 * // Background work, followed to the end through dropped connections:
 * const started = await client.create({ agent: 'deep-research-preview-04-2026', input: 'q', background: true });
 * const done = await client.wait(started.interaction.id, { onStatus: (s) => console.log(s) });
 */
export class InteractionsClient<R extends Revision = 'steps'> {
  readonly revision: R;
  /** `{baseUrl}/{apiVersion}` — the prefix of every request path. */
  readonly root: string;
  readonly apiVersion: ApiVersion;
  readonly #transport: Transport;

  constructor(options: ClientOptions<R> = {}) {
    const { base, version } = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.revision = (options.revision ?? 'steps') as R;
    this.apiVersion = options.apiVersion ?? version ?? DEFAULT_API_VERSION;
    this.root = `${base}/${this.apiVersion}`;
    this.#transport = new Transport({
      root: this.root,
      apiKey: options.apiKey ?? process.env.GEMINI_API_KEY,
      revision: this.revision,
      headers: { ...options.headers },
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      dispatcher: options.dispatcher ?? defaultDispatcher(),
    });
  }

  #result(body: unknown, requestId: string | undefined): InteractionResult<R> {
    const { raw, interaction } = interactionToCanonical(this.revision, body, requestId);
    const result: InteractionResult<R> = {
      revision: this.revision,
      raw: raw as WireInteraction<R>,
      interaction,
    };
    if (requestId !== undefined) result.requestId = requestId;
    return result;
  }

  async #unary(req: HttpRequest): Promise<InteractionResult<R>> {
    const { data, requestId } = await this.#transport.json<unknown>(req);
    return this.#result(data, requestId);
  }

  /**
   * Create an interaction and wait for the response (`stream` is forced to `false`).
   * Retried only when the request cannot have reached the server, or on 429/503 (see docs/client/retries.md).
   *
   * @example
   * const r = await client.create({ model: 'gemini-3-flash-preview', input: 'Why is the sky blue?' });
   */
  create(body: CreateBody<R>, options: RequestOptions = {}): Promise<InteractionResult<R>> {
    return this.#unary({
      method: 'POST',
      path: interactionsPath(),
      body: { ...body, stream: false },
      kind: 'unsafe',
      accept: 'json',
      options,
    });
  }

  /**
   * Create an interaction and stream it (`stream: true`).
   *
   * @example
   * const s = await client.stream({ model: 'gemini-3-flash-preview', input: 'Tell me a story' });
   * for await (const { raw, events } of s) console.log(raw.event_type, events.length);
   * console.log((await s.finalInteraction()).output);
   */
  async stream(body: CreateBody<R>, options: StreamOptions = {}): Promise<InteractionStream<R>> {
    const first = await this.#transport.openStream({
      method: 'POST',
      path: interactionsPath(),
      body: { ...body, stream: true },
      kind: 'unsafe',
      accept: 'sse',
      options,
    });
    return this.#stream(first, options, (body as { store?: unknown }).store !== false);
  }

  /**
   * Fetch an interaction.
   *
   * @example
   * const { interaction } = await client.get('v1_abc', { includeInput: true });
   */
  get(id: string, options: GetOptions = {}): Promise<InteractionResult<R>> {
    const query = options.includeInput ? { include_input: 'true' } : undefined;
    return this.#unary({
      method: 'GET',
      path: interactionsPath(id, undefined, query),
      kind: 'idempotent',
      accept: 'json',
      options,
    });
  }

  /**
   * Stream an interaction's events: a replay from the start, or from after `lastEventId`; live events
   * follow while it runs.
   *
   * @example
   * const s = await client.getStream('v1_abc', { lastEventId: 'evt_12' });
   */
  async getStream(id: string, options: GetStreamOptions = {}): Promise<InteractionStream<R>> {
    const first = await this.#openGetStream(id, options.lastEventId, options);
    return this.#stream(first, options, true, id, options.lastEventId);
  }

  /**
   * Delete a stored interaction (does not cancel a running one).
   *
   * @example
   * await client.delete('v1_abc');
   */
  async delete(id: string, options: RequestOptions = {}): Promise<void> {
    await this.#transport.json<unknown>({
      method: 'DELETE',
      path: interactionsPath(id),
      kind: 'idempotent',
      accept: 'json',
      options,
    });
  }

  /**
   * Cancel a running background interaction. Retried like `create`.
   *
   * @example
   * const { interaction } = await client.cancel('v1_abc'); // interaction.status === 'cancelled'
   */
  cancel(id: string, options: RequestOptions = {}): Promise<InteractionResult<R>> {
    return this.#unary({
      method: 'POST',
      path: interactionsPath(id, 'cancel'),
      kind: 'unsafe',
      accept: 'json',
      options,
    });
  }

  /**
   * Follow an interaction until it is terminal (or needs the caller: `requires_action`), streaming with
   * resume and falling back to polling; returns the final interaction fetched by `GET`.
   *
   * @example
   * const ac = new AbortController();
   * const r = await client.wait(id, { signal: ac.signal, cancelOnAbort: true, onEvent: (e) => log(e.raw) });
   */
  wait(id: string, options: WaitOptions<R> = {}): Promise<InteractionResult<R>> {
    return waitFor<R, InteractionResult<R>>(
      {
        get: (i, o) => this.get(i, o),
        getStream: (i, o) => this.getStream(i, o),
        cancel: (i, o) => this.cancel(i, o),
      },
      id,
      options,
    );
  }

  #openGetStream(
    id: string,
    lastEventId: string | undefined,
    options: RequestOptions,
  ): Promise<OpenResponse> {
    return this.#transport.openStream({
      method: 'GET',
      path: interactionsPath(id, undefined, { stream: 'true', last_event_id: lastEventId }),
      kind: 'idempotent',
      accept: 'sse',
      options,
    });
  }

  #stream(
    first: OpenResponse,
    options: StreamOptions,
    stored: boolean,
    interactionId?: string,
    lastEventId?: string,
  ): InteractionStream<R> {
    return new InteractionStream<R>({
      revision: this.revision,
      first,
      reconnect: (id, last) => this.#openGetStream(id, last, options),
      resume: options.resume ?? stored,
      maxResumes: options.maxResumes ?? DEFAULT_MAX_RESUMES,
      ...(interactionId === undefined ? {} : { interactionId }),
      ...(lastEventId === undefined ? {} : { lastEventId }),
    });
  }
}
