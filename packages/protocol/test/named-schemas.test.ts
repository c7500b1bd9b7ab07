/** The named schema constants live at `@interplay/protocol/schemas` (the main entry builds no schema set on import). */
import { describe, expect, it } from 'vitest';
import { schemasFor } from '../src/index.ts';
import { StepsCreateRequestSchema, StepsInteractionSchema } from '../src/schemas/named.ts';

describe('@interplay/protocol/schemas', () => {
  it('exports the same schemas schemasFor builds, and they parse', async () => {
    expect(StepsCreateRequestSchema).toBe(schemasFor('steps', 'strict').createRequest);
    expect(StepsInteractionSchema).toBe(schemasFor('steps', 'lenient').interaction);
    expect(StepsCreateRequestSchema.safeParse({ model: 'm', input: 'hi' }).success).toBe(true);
    expect(
      StepsCreateRequestSchema.safeParse({ model: 'm', input: 'hi', tools: [{ type: 'nope' }] }).success,
    ).toBe(false);
    // Resolvable by its package subpath, as users import it.
    const viaPackage = await import('@interplay/protocol/schemas');
    expect(viaPackage.StepsCreateRequestSchema).toBeDefined();
  });
});
