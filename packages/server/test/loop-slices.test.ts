/**
 * A long answer does not hold the event loop: the engine, taking the events of a provider that hands them over
 * at once, gives the loop back between slices, so a health check or another client's request is served in
 * between (issue 19: one long answer made the health check wait). Checked by where a `setImmediate` scheduled
 * before the work runs: in the middle, not after the end.
 */
import { describe, expect, it } from 'vitest';
import type { Provider, ProviderEvent } from '../src/providers/provider.ts';
import { run } from './helpers/engine-harness.ts';

const EVENTS = 1_000;

/** Runs `work`, noting how far `progress()` had got when an immediate scheduled before it ran. */
async function progressAtNextTurn(work: () => Promise<unknown>, progress: () => number): Promise<number> {
  let seen = -1;
  setImmediate(() => {
    seen = progress();
  });
  await work();
  return seen;
}

describe('a long answer gives the event loop back', () => {
  it(`taking ${EVENTS} events a provider hands over at once`, async () => {
    const answer: ProviderEvent[] = Array.from({ length: EVENTS }, () => ({ type: 'text', text: 'a ' }));
    const provider: Provider = { name: 'at-once', generate: () => answer };
    let emitted = 0;
    const seen = await progressAtNextTurn(
      async () => {
        const { outcome } = await run(provider, {
          onEvent: () => {
            emitted += 1;
          },
        });
        expect(outcome.status).toBe('completed');
      },
      () => emitted,
    );
    expect(emitted).toBeGreaterThan(EVENTS);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(emitted);
  });
});
