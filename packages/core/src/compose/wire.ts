/** The few client calls a flow makes, on canonical requests, whichever revision the client speaks. */
import type { InteractionStream, InteractionsClient } from '@interplay/client';
import {
  type CanonicalInteraction,
  type CanonicalRequest,
  canonicalToLegacyRequest,
  canonicalToStepsRequest,
} from '@interplay/protocol';
import type { AnyInteractionsClient } from '../run/transport.ts';

export interface FlowClient {
  readonly client: AnyInteractionsClient;
  create(request: CanonicalRequest, signal: AbortSignal): Promise<CanonicalInteraction>;
  stream(request: CanonicalRequest, signal: AbortSignal): Promise<InteractionStream>;
  getStream(id: string, lastEventId: string | undefined, signal: AbortSignal): Promise<InteractionStream>;
  get(id: string, signal?: AbortSignal): Promise<CanonicalInteraction>;
  /** Follows by polling `GET` only (for servers that cannot stream a GET). */
  poll(id: string, signal: AbortSignal): Promise<CanonicalInteraction>;
  cancel(id: string): Promise<void>;
}

export function flowClient(client: AnyInteractionsClient): FlowClient {
  const legacy = client.revision === 'legacy';
  const steps = client as InteractionsClient<'steps'>;
  const old = client as InteractionsClient<'legacy'>;
  return {
    client,
    async create(request, signal) {
      const body = { ...request, stream: false };
      return legacy
        ? (await old.create(canonicalToLegacyRequest(body), { signal })).interaction
        : (await steps.create(canonicalToStepsRequest(body), { signal })).interaction;
    },
    stream(request, signal) {
      const body = { ...request, stream: true };
      return legacy
        ? (old.stream(canonicalToLegacyRequest(body), { signal }) as Promise<InteractionStream>)
        : (steps.stream(canonicalToStepsRequest(body), { signal }) as Promise<InteractionStream>);
    },
    getStream(id, lastEventId, signal) {
      const options = { signal, ...(lastEventId === undefined ? {} : { lastEventId }) };
      return (
        legacy ? old.getStream(id, options) : steps.getStream(id, options)
      ) as Promise<InteractionStream>;
    },
    async get(id, signal) {
      const options = signal ? { signal } : {};
      return (legacy ? await old.get(id, options) : await steps.get(id, options)).interaction;
    },
    async poll(id, signal) {
      return (
        legacy
          ? await old.wait(id, { signal, stream: false })
          : await steps.wait(id, { signal, stream: false })
      ).interaction;
    },
    async cancel(id) {
      if (legacy) await old.cancel(id);
      else await steps.cancel(id);
    },
  };
}
