import { describe, expect, it } from 'vitest';
import { mapCallResult } from '../src/index.ts';

describe('mapCallResult', () => {
  it('joins text content into one string', () => {
    expect(
      mapCallResult({
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }).value,
    ).toBe('a\nb');
  });

  it('prefers structuredContent, except on errors', () => {
    const structured = { content: [{ type: 'text', text: '{"n":1}' }], structuredContent: { n: 1 } };
    expect(mapCallResult(structured)).toMatchObject({ value: { n: 1 }, isError: false });
    expect(mapCallResult({ ...structured, isError: true })).toMatchObject({
      value: '{"n":1}',
      isError: true,
    });
    expect(mapCallResult({ content: [], isError: true }).value).toBe('The tool reported an error.');
  });

  it('maps images, audio and resources', () => {
    const { value } = mapCallResult({
      content: [
        { type: 'image', data: 'AAA', mimeType: 'image/png' },
        { type: 'audio', data: 'BBB', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'hello' } },
        { type: 'resource_link', uri: 'file:///b.bin', name: 'b' },
      ],
    });
    expect(value).toEqual([
      { type: 'image', data: 'AAA', mime_type: 'image/png' },
      { type: 'audio', data: 'BBB', mime_type: 'audio/wav' },
      { type: 'text', text: 'hello' },
      { type: 'text', text: '[resource link file:///b.bin]' },
    ]);
  });

  it('reads the pre-2025 toolResult shape', () => {
    expect(mapCallResult({ toolResult: { ok: 1 } }).value).toEqual({ ok: 1 });
  });
});
