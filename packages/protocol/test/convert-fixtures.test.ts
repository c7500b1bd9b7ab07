/**
 * Every shared JSON fixture through the converters. Expectations spell out the documented normalizations
 * (docs/protocol/round-trip.md) instead of comparing loosely.
 */
import { describe, expect, it } from 'vitest';
import {
  type CanonicalInteraction,
  type CanonicalRequest,
  canonicalToLegacyInteraction,
  canonicalToLegacyRequest,
  canonicalToStepsInteraction,
  canonicalToStepsRequest,
  type Item,
  itemsToLegacyInput,
  type LegacyCreateRequest,
  type LegacyInteraction,
  legacyInputToItems,
  legacyInteractionToCanonical,
  legacyRequestToCanonical,
  stepsInputToItems,
  stepsInteractionToCanonical,
  stepsRequestToCanonical,
  type Tool,
} from '../src/index.ts';
import { fixtures, fixturesOf } from './fixtures/index.ts';

/** Values as they travel: JSON (drops `undefined`). */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Legacy spellings the converters normalize: lower-case modalities, camelCase computer-use exclusions. */
function normalizedLegacyFields<T extends { response_modalities?: string[]; tools?: Tool[] }>(value: T): T {
  const out = { ...value };
  if (out.response_modalities) out.response_modalities = out.response_modalities.map((m) => m.toLowerCase());
  out.tools = out.tools?.map((tool) => {
    if (tool.type !== 'computer_use' || tool.excluded_predefined_functions === undefined) return tool;
    const { excluded_predefined_functions, ...rest } = tool;
    return { ...rest, excludedPredefinedFunctions: excluded_predefined_functions };
  });
  return json(out);
}

/** What legacy can say about a steps output timeline: model_output content only, adjacent ones merged. */
function legacyShaped(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    if (item.type !== 'model_output') {
      out.push(item);
      continue;
    }
    const content = item.content ?? [];
    const last = out.at(-1);
    if (last?.type === 'model_output')
      out[out.length - 1] = { ...last, content: [...(last.content ?? []), ...content] };
    else if (content.length > 0) out.push({ type: 'model_output', content });
  }
  return out;
}

/** Steps output options legacy has no field for (only `options.image` survives, as image_config). */
function withoutStepsOnlyOptions<T extends CanonicalRequest | CanonicalInteraction>(value: T): T {
  const format = value.output_format;
  if (format?.options === undefined) return value;
  const { options, ...rest } = format;
  const kept = options.image === undefined ? rest : { ...rest, options: { image: options.image } };
  return { ...value, output_format: Object.keys(kept).length > 0 ? kept : undefined };
}

describe('legacy request fixtures: legacy → canonical → steps → canonical → legacy', () => {
  for (const f of fixturesOf(fixtures, 'legacy', 'request')) {
    it(f.name, () => {
      const canonical = legacyRequestToCanonical(f.value);
      const viaSteps = stepsRequestToCanonical(json(canonicalToStepsRequest(canonical)));
      expect(json(viaSteps)).toEqual(json(canonical));
      const back = json(canonicalToLegacyRequest(viaSteps));
      const { input: backInput, ...backRest } = back;
      const { input, ...rest } = normalizedLegacyFields(f.value);
      expect(backRest).toEqual(rest);
      // The input may change form (string → contents, single user turn → contents) but not meaning.
      expect(legacyInputToItems(backInput)).toEqual(legacyInputToItems(input));
    });
  }
});

describe('steps request fixtures: steps → canonical → legacy → canonical → steps', () => {
  for (const f of fixturesOf(fixtures, 'steps', 'request')) {
    it(f.name, () => {
      const canonical = stepsRequestToCanonical(f.value);
      const viaLegacy = legacyRequestToCanonical(json(canonicalToLegacyRequest(canonical)));
      expect(json(viaLegacy)).toEqual(json(withoutStepsOnlyOptions(canonical)));
      const back = json(canonicalToStepsRequest(viaLegacy));
      expect(stepsInputToItems(back.input)).toEqual(stepsInputToItems(f.value.input));
      expect(back.input).toEqual(stepsInputToItems(f.value.input));
      expect(json(stepsRequestToCanonical(back))).toEqual(json(viaLegacy));
    });
  }
});

describe('legacy interaction fixtures: legacy → canonical → steps → canonical → legacy', () => {
  for (const f of fixturesOf(fixtures, 'legacy', 'interaction')) {
    it(f.name, () => {
      const options = { includeInput: f.value.input !== undefined };
      const canonical = legacyInteractionToCanonical(f.value);
      const steps = json(canonicalToStepsInteraction(canonical, options));
      expect(steps.role).toBeUndefined();
      const viaSteps = stepsInteractionToCanonical(steps);
      expect(json(viaSteps)).toEqual(json(canonical));
      const back = json(canonicalToLegacyInteraction(viaSteps, options));
      const { input: backInput, ...backRest } = back;
      const { input, ...rest } = normalizedLegacyFields(f.value);
      const expected: LegacyInteraction = {
        ...rest,
        object: 'interaction',
        role: f.value.agent !== undefined ? 'agent' : 'model',
        outputs: f.value.outputs ?? [],
      };
      expect(backRest).toEqual(expected);
      if (input === undefined) expect(backInput).toBeUndefined();
      else expect(legacyInputToItems(backInput!)).toEqual(legacyInputToItems(input));
    });
  }
});

describe('steps interaction fixtures: steps → canonical → legacy → canonical → steps', () => {
  for (const f of fixturesOf(fixtures, 'steps', 'interaction')) {
    it(f.name, () => {
      const canonical = stepsInteractionToCanonical(f.value);
      const options = { includeInput: canonical.input !== undefined };
      const legacy = json(canonicalToLegacyInteraction(canonical, options));
      const viaLegacy = legacyInteractionToCanonical(legacy);
      const expected = withoutStepsOnlyOptions({
        ...canonical,
        output: legacyShaped(canonical.output),
        // Legacy input holds no model_output fields but content either.
        ...(canonical.input === undefined
          ? {}
          : { input: legacyInputToItems(itemsToLegacyInput(canonical.input)) }),
      });
      expect(json(viaLegacy)).toEqual(json(expected));
      const back = json(canonicalToStepsInteraction(viaLegacy, options));
      expect(back.object).toBe('interaction');
      expect(json(stepsInteractionToCanonical(back))).toEqual(json(viaLegacy));
    });
  }
});

describe('legacy turn fixtures', () => {
  for (const f of fixturesOf(fixtures, 'legacy', 'turns')) {
    it(f.name, () => {
      const items = legacyInputToItems(f.value);
      expect(items.length).toBeGreaterThanOrEqual(f.value.length);
      const back = itemsToLegacyInput(items);
      expect(legacyInputToItems(back)).toEqual(items);
      // Same roles turn by turn; string contents become one text content.
      expect(back.map((t) => ('role' in t ? t.role : 'user'))).toEqual(f.value.map((t) => t.role ?? 'user'));
    });
  }
});

describe('legacy request input forms', () => {
  it('covers every legacy input form among the fixtures', () => {
    const forms = new Set(
      fixturesOf(fixtures, 'legacy', 'request').map(({ value: { input } }: { value: LegacyCreateRequest }) =>
        typeof input === 'string'
          ? 'string'
          : !Array.isArray(input)
            ? 'content'
            : input.every((e) => 'type' in e)
              ? 'contents'
              : 'turns',
      ),
    );
    expect([...forms].sort()).toEqual(['content', 'contents', 'string', 'turns']);
  });
});
