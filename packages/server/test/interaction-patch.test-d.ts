/**
 * `applyPatch` (store/rows.ts) copies the keys of an interaction's end by name, not with a generic copy: when
 * this fails because `InteractionPatch` gained a key, copy that key in `applyPatch` too, then add it here.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { InteractionPatch } from '../src/store/store.ts';

describe('InteractionPatch', () => {
  it('has exactly the keys applyPatch copies', () => {
    expectTypeOf<keyof InteractionPatch>().toEqualTypeOf<
      'status' | 'updated' | 'output' | 'usage' | 'error' | 'expiresAt'
    >();
  });
});
