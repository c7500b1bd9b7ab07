/**
 * Stop conditions: predicates over the steps so far, checked after each step whose tool calls have all run.
 * Several conditions (an array) stop the run when any of them holds.
 *
 * @example
 * new Runner({ model: 'gemini-3-flash-preview', stopWhen: [stepCountIs(5), hasToolCall('final_answer')] });
 */
import type { StepResult } from './types.ts';

export interface StopContext {
  /** Every step of the run so far, oldest first (restored steps carry names and usage only). */
  steps: readonly StepResult[];
  /** Number of model calls made by the run (including before a resume). */
  stepCount: number;
  /** The step just finished. */
  lastStep: StepResult;
}

export type StopCondition = (ctx: StopContext) => boolean | Promise<boolean>;

/** Stop once `n` model calls have been made. */
export const stepCountIs =
  (n: number): StopCondition =>
  ({ stepCount }) =>
    stepCount >= n;

/** Stop after a step in which the model called one of these tools. */
export const hasToolCall =
  (...names: string[]): StopCondition =>
  ({ lastStep }) =>
    lastStep.toolCalls.some((call) => names.includes(call.name));

/** Stop once the run's total tokens reach `limit`. */
export const totalTokensAtLeast =
  (limit: number): StopCondition =>
  ({ steps }) =>
    steps.reduce((sum, s) => sum + (s.usage.total_tokens ?? 0), 0) >= limit;

/** True when any condition holds. */
export async function shouldStop(
  conditions: StopCondition | readonly StopCondition[] | undefined,
  ctx: StopContext,
): Promise<boolean> {
  const list = conditions === undefined ? [] : Array.isArray(conditions) ? conditions : [conditions];
  for (const condition of list as StopCondition[]) if (await condition(ctx)) return true;
  return false;
}
