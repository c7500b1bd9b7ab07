import { describe, expect, it } from 'vitest';
import { cloneJson } from '../src/index.ts';

describe('cloneJson', () => {
  it('copies nested objects and arrays: changing the copy leaves the original as it was', () => {
    const original = {
      type: 'model_output',
      content: [{ type: 'text', text: 'a', annotations: [{ start: 0 }] }],
    };
    const copy = cloneJson(original);
    expect(copy).toStrictEqual(original);
    copy.content[0]!.text = 'changed';
    copy.content[0]!.annotations.push({ start: 1 });
    copy.content.push({ type: 'text', text: 'b', annotations: [] });
    expect(original).toStrictEqual({
      type: 'model_output',
      content: [{ type: 'text', text: 'a', annotations: [{ start: 0 }] }],
    });
  });

  it('returns primitives and null as they are, and keeps keys in order', () => {
    expect(cloneJson(null)).toBeNull();
    expect(cloneJson('x')).toBe('x');
    expect(cloneJson(3)).toBe(3);
    expect(Object.keys(cloneJson({ z: 1, a: 2, m: 3 }))).toEqual(['z', 'a', 'm']);
  });

  it('keeps a parsed "__proto__" key as data, not as the copy\'s prototype', () => {
    const parsed = JSON.parse('{"type":"function_call","arguments":{"__proto__":{"polluted":true}}}');
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy.arguments)).toBe(Object.prototype);
    expect(copy.arguments.polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
