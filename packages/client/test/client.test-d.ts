/** The types of `InteractionsClient`: every call's wire types follow the revision it was made with. */
import type {
  CanonicalInteraction,
  LegacyCreateRequest,
  LegacyInteraction,
  StepsCreateRequest,
  StepsInteraction,
} from '@interplay/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type InteractionResult,
  type InteractionStream,
  InteractionsClient,
  type StreamEvent,
} from '../src/index.ts';

describe('InteractionsClient types', () => {
  it('speaks the steps revision unless told otherwise', () => {
    const client = new InteractionsClient();
    expectTypeOf(client.revision).toEqualTypeOf<'steps'>();
    expectTypeOf(client.create).parameter(0).toEqualTypeOf<StepsCreateRequest>();
    expectTypeOf(client.create).returns.resolves.toEqualTypeOf<InteractionResult<'steps'>>();
    expectTypeOf<InteractionResult<'steps'>['raw']>().toEqualTypeOf<StepsInteraction>();
    expectTypeOf<InteractionResult<'steps'>['interaction']>().toEqualTypeOf<CanonicalInteraction>();
  });

  it('types bodies, results, streams and wait events by revision', () => {
    const legacy = new InteractionsClient({ revision: 'legacy' });
    expectTypeOf(legacy.create).parameter(0).toEqualTypeOf<LegacyCreateRequest>();
    expectTypeOf<InteractionResult<'legacy'>['raw']>().toEqualTypeOf<LegacyInteraction>();
    expectTypeOf(legacy.stream).returns.resolves.toEqualTypeOf<InteractionStream<'legacy'>>();
    legacy.wait('v1_x', { onEvent: (event) => expectTypeOf(event).toEqualTypeOf<StreamEvent<'legacy'>>() });
  });
});
