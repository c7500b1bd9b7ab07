/** Stop conditions are predicates over the steps so far. */
import { describe, expect, it } from 'vitest';
import { hasToolCall, type StepResult, shouldStop, stepCountIs, totalTokensAtLeast } from '../src/index.ts';

const step = (n: number, tools: string[] = [], tokens = 10): StepResult => ({
  step: n,
  interactionId: `int_${n}`,
  status: tools.length ? 'requires_action' : 'completed',
  output: [],
  text: '',
  toolCalls: tools.map((name, i) => ({ id: `${n}_${i}`, name, arguments: {} })),
  toolResults: [],
  usage: { total_tokens: tokens },
});

const ctx = (steps: StepResult[]) => ({
  steps,
  stepCount: steps.length,
  lastStep: steps.at(-1) as StepResult,
});

describe('stop conditions', () => {
  it('stepCountIs counts model calls', () => {
    expect(stepCountIs(2)(ctx([step(1)]))).toBe(false);
    expect(stepCountIs(2)(ctx([step(1), step(2)]))).toBe(true);
  });

  it('hasToolCall looks at the step just finished', () => {
    const steps = [step(1, ['search']), step(2, ['final_answer', 'log'])];
    expect(hasToolCall('final_answer')(ctx(steps))).toBe(true);
    expect(hasToolCall('search')(ctx(steps))).toBe(false);
    expect(hasToolCall('search', 'log')(ctx(steps))).toBe(true);
  });

  it('totalTokensAtLeast sums usage over the steps', () => {
    expect(totalTokensAtLeast(25)(ctx([step(1, [], 10), step(2, [], 10)]))).toBe(false);
    expect(totalTokensAtLeast(20)(ctx([step(1, [], 10), step(2, [], 10)]))).toBe(true);
  });

  it('an array stops when any condition holds; async predicates work', async () => {
    const steps = [step(1, ['x'])];
    expect(await shouldStop([stepCountIs(5), hasToolCall('x')], ctx(steps))).toBe(true);
    expect(await shouldStop([stepCountIs(5), async () => false], ctx(steps))).toBe(false);
    expect(await shouldStop(undefined, ctx(steps))).toBe(false);
  });
});
