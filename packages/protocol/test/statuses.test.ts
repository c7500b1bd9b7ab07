/** Statuses of SDK 3.6 (`queued`, `idle`, `budget_exceeded`, `requires_continuation`) and ones newer still. */
import { describe, expect, it } from 'vitest';
import { isTerminalStatus, parseInteraction } from '../src/index.ts';

describe('statuses', () => {
  it.each(['queued', 'idle', 'budget_exceeded', 'requires_continuation'])(
    'a steps interaction may be %s',
    (status) => {
      const parsed = parseInteraction({ id: 'v1_x', status, steps: [] }, 'steps');
      expect(parsed.ok && parsed.value.status).toBe(status);
    },
  );

  it('keeps a status it does not know, as sent (a client must not break on it)', () => {
    const parsed = parseInteraction({ id: 'v1_x', status: 'thinking_very_hard', steps: [] }, 'steps');
    expect(parsed.ok && parsed.value.status).toBe('thinking_very_hard');
  });

  it('counts budget_exceeded as terminal, queued and idle as not', () => {
    expect(isTerminalStatus('budget_exceeded')).toBe(true);
    expect(isTerminalStatus('queued')).toBe(false);
    expect(isTerminalStatus('idle')).toBe(false);
  });
});
