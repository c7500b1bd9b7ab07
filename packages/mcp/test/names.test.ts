import { describe, expect, it } from 'vitest';
import { isValidFunctionName, joinPrefix, mapToolNames } from '../src/index.ts';

describe('tool name mapping', () => {
  it('keeps valid names and cleans the rest', () => {
    const { toFunction } = mapToolNames(['get_weather', 'get-weather.v2', '2fa', 'a b/c', '']);
    expect(Object.fromEntries(toFunction)).toEqual({
      get_weather: 'get_weather',
      'get-weather.v2': 'get_weather_v2',
      '2fa': '_2fa',
      'a b/c': 'a_b_c',
      '': 'tool',
    });
  });

  it('round-trips every name, even when cleaning collides', () => {
    const names = ['a.b', 'a-b', 'a_b', 'x'.repeat(100), `${'x'.repeat(100)}y`];
    const { toFunction, toMcp } = mapToolNames(names, 'srv');
    const fn = names.map((n) => toFunction.get(n) as string);
    expect(new Set(fn).size).toBe(names.length);
    for (const [i, name] of names.entries()) {
      expect(isValidFunctionName(fn[i] as string)).toBe(true);
      expect(toMcp.get(fn[i] as string)).toBe(name);
    }
    // The already-valid name keeps its plain form; the cleaned ones get a stable hash.
    expect(toFunction.get('a_b')).toBe('srv_a_b');
    expect(toFunction.get('a.b')).toMatch(/^srv_a_b_[0-9a-f]{8}$/);
    expect(mapToolNames(names, 'srv').toFunction).toEqual(toFunction);
  });

  it('joins prefixes with one underscore', () => {
    expect(joinPrefix('fs', 'read')).toBe('fs_read');
    expect(joinPrefix('fs_', 'read')).toBe('fs_read');
    expect(joinPrefix(undefined, 'read')).toBe('read');
  });
});
