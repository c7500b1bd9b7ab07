import { describe, expect, it } from 'vitest';
import {
  type Content,
  type ImageContent,
  type Item,
  itemsToLegacyContents,
  itemsToLegacyInput,
  itemsToStepsInput,
  legacyContentsToItems,
  legacyInputToItems,
  stepsInputToItems,
  type TextContent,
  type Turn,
} from '../src/index.ts';

const text = (t: string): TextContent => ({ type: 'text', text: t });
const image: ImageContent = { type: 'image', uri: 'gs://b/cat.png', mime_type: 'image/png' };
const thought: Content = {
  type: 'thought',
  signature: 'sig-1',
  summary: [{ type: 'text', text: 'Thinking' }],
};
const call: Content = { type: 'function_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } };
const result: Content = { type: 'function_result', call_id: 'c1', name: 'get_weather', result: '{"t":21}' };
const search: Content = { type: 'google_search_call', id: 's1', arguments: { queries: ['q'] } };

describe('legacy input → items', () => {
  it('makes a string one user_input with one text', () => {
    expect(legacyInputToItems('Hello')).toEqual([{ type: 'user_input', content: [text('Hello')] }]);
  });

  it('groups consecutive media of a Content[] and keeps results as their own items', () => {
    expect(legacyInputToItems([text('a'), image, result, text('b')])).toEqual([
      { type: 'user_input', content: [text('a'), image] },
      result,
      { type: 'user_input', content: [text('b')] },
    ]);
  });

  it('accepts a single Content', () => {
    expect(legacyInputToItems(image)).toEqual([{ type: 'user_input', content: [image] }]);
  });

  it('maps Turn[] roles: model media → model_output, model tool contents → own items', () => {
    const turns: Turn[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'model', content: [thought, call] },
      { role: 'user', content: [result] },
      { role: 'model', content: [text('21 degrees'), image] },
      { role: 'user', content: 'Thanks' },
    ];
    expect(legacyInputToItems(turns)).toEqual([
      { type: 'user_input', content: [text('Weather?')] },
      thought,
      call,
      result,
      { type: 'model_output', content: [text('21 degrees'), image] },
      { type: 'user_input', content: [text('Thanks')] },
    ]);
  });

  it('keeps an empty turn as an empty item', () => {
    expect(legacyInputToItems([{ role: 'user', content: [] }])).toEqual([
      { type: 'user_input', content: [] },
    ]);
  });
});

describe('items → legacy input', () => {
  it('gives Content[] for one user turn of media and results', () => {
    expect(itemsToLegacyInput([{ type: 'user_input', content: [text('a'), image] }, result])).toEqual([
      text('a'),
      image,
      result,
    ]);
  });

  it('gives Turn[] when there are model items, results in the user turn', () => {
    const items: Item[] = [
      { type: 'user_input', content: [text('Weather?')] },
      thought,
      call,
      result,
      { type: 'model_output', content: [text('21')] },
    ];
    expect(itemsToLegacyInput(items)).toEqual([
      { role: 'user', content: [text('Weather?')] },
      { role: 'model', content: [thought, call] },
      { role: 'user', content: [result] },
      { role: 'model', content: [text('21')] },
    ]);
  });

  it('keeps two consecutive user turns apart', () => {
    const turns: Turn[] = [
      { role: 'user', content: [text('a')] },
      { role: 'user', content: [text('b')] },
    ];
    expect(itemsToLegacyInput(legacyInputToItems(turns))).toEqual(turns);
  });

  it('keeps two consecutive model turns apart', () => {
    const turns: Turn[] = [
      { role: 'user', content: [text('a')] },
      { role: 'model', content: [text('b')] },
      { role: 'model', content: [text('c')] },
    ];
    expect(itemsToLegacyInput(legacyInputToItems(turns))).toEqual(turns);
  });

  it('round-trips Turn[] with array contents exactly', () => {
    const turns: Turn[] = [
      { role: 'user', content: [text('Weather?'), image] },
      { role: 'model', content: [thought, call] },
      { role: 'user', content: [result, text('and tomorrow?')] },
    ];
    expect(itemsToLegacyInput(legacyInputToItems(turns))).toEqual(turns);
  });

  it('is an empty Content[] for no items', () => {
    expect(itemsToLegacyInput([])).toEqual([]);
  });
});

describe('steps input', () => {
  it('wraps media in a user_input and keeps steps as they are', () => {
    expect(stepsInputToItems('hi')).toEqual([{ type: 'user_input', content: [text('hi')] }]);
    expect(stepsInputToItems(image as never)).toEqual([{ type: 'user_input', content: [image] }]);
    const steps: Item[] = [{ type: 'user_input', content: [text('a')] }, thought, call, result];
    expect(stepsInputToItems(steps)).toEqual(steps);
    expect(itemsToStepsInput(steps)).toEqual(steps);
  });
});

describe('outputs', () => {
  it('groups consecutive media into one model_output and keeps others one-to-one', () => {
    const outputs = [thought, text('a'), image, search, text('b')];
    const items = legacyContentsToItems(outputs);
    expect(items).toEqual([
      thought,
      { type: 'model_output', content: [text('a'), image] },
      search,
      { type: 'model_output', content: [text('b')] },
    ]);
    expect(itemsToLegacyContents(items)).toEqual(outputs);
  });

  it('drops user_input and flattens model_output; steps-only items pass one-to-one', () => {
    const retrieval: Item = { type: 'retrieval_call', id: 'r1', arguments: { queries: ['x'] } };
    expect(
      itemsToLegacyContents([
        { type: 'user_input', content: [text('q')] },
        { type: 'model_output', content: [text('a')] },
        { type: 'model_output', content: [text('b')] },
        retrieval,
      ]),
    ).toEqual([text('a'), text('b'), retrieval]);
  });
});
