import { describe, expect, it } from 'vitest';
import { permutation, rotate, shuffledPermutation } from '../src/lib/stats.ts';

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

describe('shuffledPermutation', () => {
  const list = ['raw', 'sdk', 'runner', 'aisdk'];
  const cycle = 24; // 4! orderings

  it('runs every ordering once in each cycle, the same way for the same seed', () => {
    for (let c = 0; c < 5; c++) {
      const seen = new Set(
        Array.from({ length: cycle }, (_, i) => shuffledPermutation(list, c * cycle + i).join(',')),
      );
      expect(seen.size).toBe(cycle);
    }
    const rounds = (seed: number) =>
      Array.from({ length: 2 * cycle }, (_, r) => shuffledPermutation(list, r, seed).join(','));
    expect(rounds(1)).toEqual(rounds(1));
    expect(rounds(2)).not.toEqual(rounds(1));
  });

  it('spreads work that recurs every few rounds over the variants, where permutation does not', () => {
    // Rounds 15..134 of the tool loop; something that comes after the same amount of work whatever the order
    // (SQLite's WAL checkpoint came every 3 rounds of the four loops): each variant's share of it.
    const sharesOf = (order: (l: string[], n: number) => string[], offset: number) => {
      const sequence = Array.from({ length: 120 }, (_, r) => order(list, 15 + r)).flat();
      const hits = new Map(list.map((v) => [v, 0]));
      for (let i = offset; i < sequence.length; i += 3 * list.length) {
        const v = sequence[i] as string;
        hits.set(v, (hits.get(v) ?? 0) + 1);
      }
      return [...hits.values()];
    };
    // With permutation, some phases never land on one variant: every cycle repeats the same rounds.
    const fixed = Array.from({ length: 12 }, (_, offset) => Math.min(...sharesOf(permutation, offset)));
    expect(fixed.filter((least) => least === 0).length).toBeGreaterThan(0);
    for (let offset = 0; offset < 12; offset++) {
      expect(Math.min(...sharesOf(shuffledPermutation, offset)), `offset ${offset}`).toBeGreaterThan(0);
    }
  });

  it('draws the order of two items anew in every cycle, whatever the seed', () => {
    // Two sub-rounds alternating before and after each other: a strict ab-ba-ab-ba… is as fixed as no shuffle.
    for (const seed of [1, 2, 12345, 464226252, 464226253]) {
      const firstInCycle = Array.from(
        { length: 200 },
        (_, c) => shuffledPermutation(['a', 'b'], 2 * c, seed)[0],
      );
      const aFirst = firstInCycle.filter((x) => x === 'a').length;
      expect(aFirst, `seed ${seed}`).toBeGreaterThan(70);
      expect(aFirst, `seed ${seed}`).toBeLessThan(130);
      // Both items still lead once in each cycle.
      expect(shuffledPermutation(['a', 'b'], 1, seed)[0]).not.toBe(firstInCycle[0]);
    }
  });
});
