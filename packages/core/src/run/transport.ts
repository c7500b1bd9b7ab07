/**
 * The seam between the run loop and the Interactions API: one call creates an interaction from a canonical
 * request and returns the canonical result, reporting stream events on the way when `request.stream` is set.
 * `clientTransport` implements it with `@interplay/client` (either wire revision); tests and users can
 * supply their own (e.g. a recorded or scripted one).
 */
import type { InteractionsClient } from '@interplay/client';
import {
  type CanonicalEvent,
  type CanonicalInteraction,
  type CanonicalRequest,
  canonicalToLegacyRequest,
  canonicalToStepsRequest,
  type Revision,
} from '@interplay/protocol';

export interface ModelCallOptions {
  signal?: AbortSignal;
  /** Called for each canonical stream event, in order (streaming requests only). */
  onEvent?: (event: CanonicalEvent) => void;
}

export interface ModelTransport {
  /** Create one interaction; resolves with the finished (or `requires_action`) interaction. */
  create(request: CanonicalRequest, options: ModelCallOptions): Promise<CanonicalInteraction>;
}

/** Any `InteractionsClient`, whichever revision it speaks. */
export type AnyInteractionsClient = InteractionsClient<'steps'> | InteractionsClient<'legacy'>;

/**
 * A transport over an `InteractionsClient`: the canonical request becomes the client's wire body.
 *
 * @example
 * const runner = new Runner({ transport: clientTransport(new InteractionsClient({ revision: 'legacy' })), … });
 */
export function clientTransport(client: AnyInteractionsClient): ModelTransport {
  const revision: Revision = client.revision;
  return {
    async create(request, { signal, onEvent }) {
      const options = signal ? { signal } : {};
      if (revision === 'legacy') {
        const legacy = client as InteractionsClient<'legacy'>;
        const body = canonicalToLegacyRequest(request);
        if (!request.stream) return (await legacy.create(body, options)).interaction;
        const stream = await legacy.stream(body, options);
        for await (const { events } of stream) for (const event of events) onEvent?.(event);
        return stream.finalInteraction();
      }
      const steps = client as InteractionsClient<'steps'>;
      const body = canonicalToStepsRequest(request);
      if (!request.stream) {
        body.stream = false; // ours to change: the client then sends it without a copy
        return (await steps.create(body, options)).interaction;
      }
      const stream = await steps.stream(body, options);
      for await (const { events } of stream) for (const event of events) onEvent?.(event);
      return stream.finalInteraction();
    },
  };
}
