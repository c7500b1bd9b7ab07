/**
 * Guardrails: checks that end an agent run with a typed error when they trip. Each is a zod schema (v4 or
 * v3) or JSON Schema the checked value must match — the issues become the error's `info` — or a function
 * returning `true` / `{ tripwire: true, info }` to trip.
 *
 * - input guardrails check the user's input text; they run next to the first model call and must pass
 *   before any tool runs;
 * - output guardrails check the final answer (`output` when the agent has an `outputType`, else its text);
 * - tool guardrails check a call's arguments before it runs (`before`) and its result after (`after`).
 */
import type { SchemaSource } from '../schema/detect.ts';
import { createValidator } from '../schema/validate.ts';

/** What a check function answers: trip or not, and what to report. */
export interface GuardrailVerdict {
  tripwire: boolean;
  info?: unknown;
}

/** What a guardrail's check function gets besides the value. */
export interface GuardrailContext<TContext = unknown> {
  /** The agent whose guardrail this is. */
  agent: string;
  /** The run's `context`. */
  context: TContext;
  /** Tool guardrails: the tool and the call. */
  toolName?: string;
  callId?: string;
}

export type GuardrailCheck<TValue, TContext = unknown> =
  | SchemaSource
  | ((
      value: TValue,
      ctx: GuardrailContext<TContext>,
    ) => GuardrailVerdict | boolean | Promise<GuardrailVerdict | boolean>);

/**
 * A named check.
 *
 * @example
 * const shortQuestions: Guardrail<string> = { name: 'short_questions', check: z.string().max(500) };
 * const noSecrets: Guardrail<string> = {
 *   name: 'no_secrets',
 *   check: (text) => ({ tripwire: /password/i.test(text), info: 'asks for a password' }),
 * };
 */
export interface Guardrail<TValue = unknown, TContext = unknown> {
  name: string;
  check: GuardrailCheck<TValue, TContext>;
}

/** Guardrails around each function tool call of an agent. */
export interface ToolGuardrails<TContext = unknown> {
  /** Checked against the call's validated arguments before it runs. */
  before?: readonly Guardrail<unknown, TContext>[];
  /** Checked against the value the tool returned, before it goes to the model. */
  after?: readonly Guardrail<unknown, TContext>[];
}

export interface Tripped {
  guardrail: string;
  info: unknown;
}

/** Run one guardrail; what it tripped on, or `undefined` when it passed. */
export async function checkGuardrail<TValue, TContext>(
  guardrail: Guardrail<TValue, TContext>,
  value: TValue,
  ctx: GuardrailContext<TContext>,
): Promise<Tripped | undefined> {
  const { check } = guardrail;
  if (typeof check === 'function') {
    const verdict = await check(value, ctx);
    if (verdict === true) return { guardrail: guardrail.name, info: undefined };
    if (verdict === false || !verdict.tripwire) return undefined;
    return { guardrail: guardrail.name, info: verdict.info };
  }
  const validated = createValidator<unknown>(check)(value);
  return validated.ok ? undefined : { guardrail: guardrail.name, info: validated.issues };
}

/** Run guardrails side by side; the first (in list order) that tripped. */
export async function checkAll<TValue, TContext>(
  guardrails: readonly Guardrail<TValue, TContext>[],
  value: TValue,
  ctx: GuardrailContext<TContext>,
): Promise<Tripped | undefined> {
  const verdicts = await Promise.all(guardrails.map((g) => checkGuardrail(g, value, ctx)));
  return verdicts.find((v) => v !== undefined);
}
