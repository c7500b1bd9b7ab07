import { describe, expect, it } from 'vitest';
import { permutation, rotate } from '../src/lib/stats.ts';

/** How often `b` runs right after `a` over `rounds` rounds of `order(list, r)`, rounds run back to back. */
function followers(order: (list: string[], n: number) => string[], rounds: number): Map<string, number> {
  const list = ['a', 'b', 'c'];
  const sequence = Array.from({ length: rounds }, (_, r) => order(list, r)).flat();
  const counts = new Map<string, number>();
  for (let i = 1; i < sequence.length; i++) {
    const pair = `${sequence[i - 1]}>${sequence[i]}`;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

describe('permutation', () => {
  it('cycles through every ordering of the list', () => {
    const seen = new Set(Array.from({ length: 6 }, (_, r) => permutation(['a', 'b', 'c'], r).join('')));
    expect([...seen].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    expect(permutation(['a', 'b', 'c'], 6)).toEqual(permutation(['a', 'b', 'c'], 0));
  });

  it('lets every item follow every other about equally often, where rotate does not', () => {
    const rotated = followers(rotate, 60);
    // With rotate, b runs right after a twice as often as c does (and inherits a's garbage twice as often).
    expect(rotated.get('a>b')).toBe(40);
    expect(rotated.get('a>c')).toBe(20);
    // With every ordering in turn: equal within rounds; the round boundaries add a little (3 : 2 at worst).
    const permuted = followers(permutation, 60);
    for (const x of ['a', 'b', 'c']) {
      for (const y of ['a', 'b', 'c']) {
        if (x === y) continue;
        const n = permuted.get(`${x}>${y}`) ?? 0;
        expect(n, `${x}>${y}`).toBeGreaterThanOrEqual(20);
        expect(n, `${x}>${y}`).toBeLessThanOrEqual(30);
      }
    }
  });
});
