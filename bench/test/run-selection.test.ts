import { describe, expect, it } from 'vitest';
import { runSelection } from '../src/lib/run-selection.ts';
import { SCENARIOS } from '../src/scenarios/index.ts';
import { type Scenario, target } from '../src/scenarios/types.ts';

/** A scenario whose n-th run reports `values[n-1]` and records that it ran (and whether in quick mode). */
function fake(name: string, values: number[], defaultRuns?: number): Scenario & { calls: boolean[] } {
  const calls: boolean[] = [];
  return {
    name,
    title: name,
    defaultRuns,
    calls,
    async run({ quick }) {
      calls.push(quick);
      const value = values[calls.length - 1] as number;
      return {
        name,
        title: name,
        figures: { ratio: value },
        table: [['ratio'], [String(value)]],
        targets: [target('ratio', value, 'min', 0.7, '×')],
        evidence: {},
      };
    },
  };
}

describe('runSelection: how many runs each scenario gets', () => {
  it('without --runs, a scenario runs its declared default, and the report shows the median and range', async () => {
    const noisy = fake('noisy', [0.9, 0.6, 0.75], 3);
    const steady = fake('steady', [1.2]);
    const lines: string[] = [];
    const { summary, failed } = await runSelection([noisy, steady], {
      quick: false,
      log: (l) => lines.push(l),
    });
    expect(failed).toBe(false);
    expect(noisy.calls).toEqual([false, false, false]);
    expect(steady.calls).toEqual([false]);
    const [noisySummary, steadySummary] = summary;
    expect(noisySummary?.runs).toBe(3);
    expect(noisySummary?.figures.find((f) => f.key === 'ratio')).toEqual({
      key: 'ratio',
      median: 0.75,
      min: 0.6,
      max: 0.9,
    });
    expect(noisySummary?.targets[0]).toMatchObject({ value: 0.75, ok: true });
    expect(steadySummary?.runs).toBe(1);
    const out = lines.join('\n');
    expect(out).toContain('[noisy] — run 3/3');
    expect(out).toContain('### noisy  [noisy] — 3 runs');
    expect(out).not.toContain('### steady');
    expect(out).toContain('(median of 3 runs)');
  });

  it('the runs are spread in rounds: every scenario once, then the repeated ones again', async () => {
    const order: string[] = [];
    const logged = (s: Scenario): Scenario => ({
      ...s,
      run: (o) => {
        order.push(s.name);
        return s.run(o);
      },
    });
    await runSelection(
      [logged(fake('a', [1, 1, 1], 3)), logged(fake('b', [1])), logged(fake('c', [1, 1], 2))],
      {
        quick: false,
        log: () => {},
      },
    );
    expect(order).toEqual(['a', 'b', 'c', 'a', 'c', 'a']);
  });

  it('--runs N overrides every default', async () => {
    const noisy = fake('noisy', [1, 1], 3);
    const steady = fake('steady', [1, 1]);
    await runSelection([noisy, steady], { quick: false, runs: 2, log: () => {} });
    expect(noisy.calls).toHaveLength(2);
    expect(steady.calls).toHaveLength(2);
  });

  it('--quick stays one quick run of each, whatever the defaults', async () => {
    const noisy = fake('noisy', [1], 3);
    const lines: string[] = [];
    await runSelection([noisy], { quick: true, log: (l) => lines.push(l) });
    expect(noisy.calls).toEqual([true]);
    expect(lines.join('\n')).not.toContain('Medians');
  });

  it('stream-fanout and server-create declare three runs; the other scenarios one', () => {
    const declared = Object.fromEntries(SCENARIOS.map((s) => [s.name, s.defaultRuns ?? 1]));
    expect(declared).toMatchObject({ 'stream-fanout': 3, 'server-create': 3, 'tool-loop': 1, streaming: 1 });
    expect(Object.values(declared).filter((n) => n > 1)).toHaveLength(2);
  });
});
