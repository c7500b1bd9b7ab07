import { describe, expect, it } from 'vitest';
import { REVISION_DATES, revisionFromHeader } from '../src/index.ts';

describe('revisionFromHeader', () => {
  it('selects legacy for the legacy date and steps for the steps date or later', () => {
    expect(revisionFromHeader(REVISION_DATES.legacy)).toBe('legacy');
    expect(revisionFromHeader(REVISION_DATES.steps)).toBe('steps');
    expect(revisionFromHeader('2026-09-01')).toBe('steps');
    expect(revisionFromHeader('2025-12-01')).toBe('legacy');
  });
  it('returns undefined when absent so the server default applies', () => {
    expect(revisionFromHeader(undefined)).toBeUndefined();
    expect(revisionFromHeader('')).toBeUndefined();
  });
});
