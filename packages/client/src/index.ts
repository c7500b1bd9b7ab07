/**
 * @interplay/client — a client of the Gemini Interactions API (both wire revisions) on undici.
 *
 * @example
 * import { InteractionsClient } from '@interplay/client';
 * const client = new InteractionsClient({ baseUrl: 'http://127.0.0.1:8787' });
 * const { interaction } = await client.create({ model: 'gemini-3-flash-preview', input: 'Hello' });
 *
 * @module @interplay/client
 */

export { InteractionsError } from '@interplay/protocol';
export * from './client.ts';
export { StreamAccumulator } from './convert.ts';
export * from './errors.ts';
export type { ApiVersion, ClientOptions, RequestOptions } from './options.ts';
export { DEFAULT_BASE_URL, defaultDispatcher, normalizeBaseUrl } from './options.ts';
export * from './retry-policy.ts';
export type { StreamEvent, WireEvent } from './stream.ts';
export { InteractionStream } from './stream.ts';
export type { WaitOptions } from './wait.ts';
export { isSettled } from './wait.ts';
