/** A stored interaction as store and log tests write it. */
import type { InteractionRecord } from '../../src/store/store.ts';

/** A running background interaction with no input or output, kept a day; `over` replaces any field. */
export const runningRecord = (id: string, over: Partial<InteractionRecord> = {}): InteractionRecord => ({
  id,
  owner: null,
  status: 'in_progress',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  request: { input: [] },
  output: [],
  background: true,
  expiresAt: Date.now() + 86_400_000,
  ...over,
});
