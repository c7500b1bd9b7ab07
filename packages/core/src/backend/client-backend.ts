/**
 * The {@link InteractionsBackend} over `@interplay/client`: canonical requests become the client's wire body
 * for its revision; following is the client's own `wait` (stream with resume, then polling).
 */
import type { InteractionStream, InteractionsClient } from '@interplay/client';
import {
  type CanonicalRequest,
  canonicalToLegacyRequest,
  canonicalToStepsRequest,
  type Revision,
} from '@interplay/protocol';
import type { BackendEvent, BackendStream, InteractionsBackend } from './backend.ts';

/** An `InteractionsClient` of either revision. */
export type AnyInteractionsClient = InteractionsClient<Revision>;

/**
 * A backend speaking to the Interactions API through `client`.
 *
 * @example
 * const runner = new Runner({ backend: clientBackend(new InteractionsClient({ revision: 'legacy' })), model });
 */
export function clientBackend(client: AnyInteractionsClient): InteractionsBackend {
  const toWire = (request: CanonicalRequest) =>
    client.revision === 'legacy' ? canonicalToLegacyRequest(request) : canonicalToStepsRequest(request);
  return {
    async create(request, options = {}) {
      return (await client.create(toWire(request), options)).interaction;
    },
    async stream(request, options = {}) {
      return eventsOf(await client.stream(toWire(request), options));
    },
    async follow(id, { onEvent, ...options } = {}) {
      const waited = await client.wait(id, {
        ...options,
        ...(onEvent ? { onEvent: (event) => onEvent(backendEvent(event)) } : {}),
      });
      return waited.interaction;
    },
    async get(id, options = {}) {
      return (await client.get(id, options)).interaction;
    },
    async cancel(id, options = {}) {
      await client.cancel(id, options);
    },
  };
}

function backendEvent(event: { raw: { event_id?: unknown }; events: BackendEvent['events'] }): BackendEvent {
  const id = event.raw.event_id;
  return { eventId: typeof id === 'string' && id !== '' ? id : undefined, events: event.events };
}

function eventsOf(stream: InteractionStream): BackendStream {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const event of stream) yield backendEvent(event);
    },
    finalInteraction: () => stream.finalInteraction(),
  };
}

/** A backend as given, or one over the client given. */
export function backendOf(target: AnyInteractionsClient | InteractionsBackend): InteractionsBackend {
  return 'follow' in target ? target : clientBackend(target);
}
