/**
 * The client a `Runner` uses when it is given none, chosen from the environment — the same rule as the
 * `interplay` CLI:
 * - `INTERPLAY_BASE_URL` set: that Interactions server (e.g. `npx interplay serve`), with `INTERPLAY_API_KEY`
 *   as its key when set. A Gemini key is never sent to another server.
 * - else `GEMINI_API_KEY` set: live Gemini with that key.
 * - else: an `InterplayError` (`client_not_configured`) that says which variable to set.
 *
 * @example
 * // INTERPLAY_BASE_URL=http://127.0.0.1:8787 node agent.mjs
 * const runner = new Runner({ model: 'gemini-3-flash-preview' }); // same as { client: clientFromEnv() }
 */
import { InteractionsClient } from '@interplay/client';
import { InterplayError } from './errors.ts';

export function clientFromEnv(env: Record<string, string | undefined> = process.env): InteractionsClient {
  const baseUrl = env.INTERPLAY_BASE_URL;
  if (baseUrl) {
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
      throw new InterplayError(
        'client_not_configured',
        `INTERPLAY_BASE_URL must be an http(s) URL, got '${baseUrl}'.`,
      );
    }
    return new InteractionsClient({ baseUrl, apiKey: env.INTERPLAY_API_KEY ?? '' });
  }
  if (env.GEMINI_API_KEY) return new InteractionsClient({ apiKey: env.GEMINI_API_KEY });
  throw new InterplayError(
    'client_not_configured',
    'No Interactions API to talk to: set INTERPLAY_BASE_URL to a server (e.g. the one `npx interplay serve` ' +
      'starts) or GEMINI_API_KEY to use live Gemini, or pass `client` to the Runner.',
  );
}
