/**
 * Typed errors of @interplay/core. Each has a stable `code` (snake_case) to branch on, and `name` set to the
 * class name. Tool failures are NOT errors by default: they go back to the model as `is_error` results.
 */
import type { RunState } from './run/state.ts';

/** Base class: every error thrown by @interplay/core is an `InterplayError` with a stable `code`. */
export class InterplayError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }
}

/** A tool's definition cannot be used (bad name, parameters that are not an object schema, …). */
export class ToolDefinitionError extends InterplayError {
  readonly toolName: string | undefined;
  constructor(message: string, toolName?: string, options?: { cause?: unknown }) {
    super('tool_definition_invalid', message, options);
    this.toolName = toolName;
  }
}

/** A schema could not be converted to one Gemini accepts. */
export class SchemaConversionError extends InterplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('schema_unsupported', message, options);
  }
}

/** A serialized run state has a `schemaVersion` this version of the framework cannot read. */
export class RunStateVersionError extends InterplayError {
  readonly found: unknown;
  /** The version this release writes. */
  readonly expected: number;
  /** Every version this release reads. */
  readonly supported: readonly number[];
  constructor(found: unknown, supported: readonly number[]) {
    super(
      'run_state_version_mismatch',
      `Run state has schemaVersion ${JSON.stringify(found)}; this version of @interplay/core reads ${supported.join(', ')}.`,
    );
    this.found = found;
    this.supported = supported;
    this.expected = Math.max(...supported);
  }
}

/** A serialized run state is malformed, or an operation does not fit the state (unknown call id, …). */
export class RunStateError extends InterplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('run_state_invalid', message, options);
  }
}

/** One problem found while validating a value against a schema. `path` is empty for the root. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

/** The final answer did not parse or validate against `responseFormat`. */
export class StructuredOutputError extends InterplayError {
  /** The model's raw final text. */
  readonly text: string;
  readonly issues: ValidationIssue[];
  constructor(message: string, text: string, issues: ValidationIssue[], options?: { cause?: unknown }) {
    super('structured_output_invalid', message, options);
    this.text = text;
    this.issues = issues;
  }
}

/** Thrown only with `throwOnMaxSteps: true`; by default the result says `finishReason: 'max_steps'`. */
export class MaxStepsExceededError extends InterplayError {
  readonly maxSteps: number;
  readonly state: RunState;
  constructor(maxSteps: number, state: RunState) {
    super('max_steps_exceeded', `The run reached maxSteps (${maxSteps}) before the model finished.`);
    this.maxSteps = maxSteps;
    this.state = state;
  }
}

/** The run's AbortSignal fired. `state` can be resumed once the cause is fixed. */
export class RunAbortedError extends InterplayError {
  readonly state: RunState;
  constructor(state: RunState, reason?: unknown) {
    const detail =
      reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
    super('run_aborted', `Run aborted${detail}`, { cause: reason });
    this.state = state;
  }
}

/** A tool failed and the `onToolError` policy said `'throw'`. The original error is `cause`. */
export class ToolExecutionError extends InterplayError {
  readonly toolName: string;
  readonly callId: string;
  readonly state: RunState;
  constructor(message: string, toolName: string, callId: string, state: RunState, cause: unknown) {
    super('tool_execution_failed', message, { cause });
    this.toolName = toolName;
    this.callId = callId;
    this.state = state;
  }
}

/** The interaction ended with status `failed` (the model or server could not produce an answer). */
export class InteractionFailedError extends InterplayError {
  readonly interactionId: string;
  readonly errors: { code?: string; message?: string }[];
  constructor(interactionId: string, errors: { code?: string; message?: string }[]) {
    const detail = errors.map((e) => e.message ?? e.code).filter(Boolean);
    super(
      'interaction_failed',
      `Interaction ${interactionId} failed${detail.length ? `: ${detail.join('; ')}` : ''}`,
    );
    this.interactionId = interactionId;
    this.errors = errors;
  }
}

/** Where a guardrail stands: before the run's first tool, on the final answer, or around one tool call. */
export type GuardrailKind = 'input' | 'output' | 'tool_input' | 'tool_output';

/**
 * A guardrail tripped: the run ends with this error (an agent run — `run(agent, …)`). `info` is what the
 * guardrail reported (a zod schema's issues, or a check function's `info`). Branch on `code` or the class:
 * `input_guardrail_tripped`, `output_guardrail_tripped`, `tool_guardrail_tripped`.
 */
export class GuardrailTripwireError extends InterplayError {
  readonly guardrail: string;
  readonly kind: GuardrailKind;
  /** The agent whose guardrail tripped. */
  readonly agent: string;
  readonly info: unknown;
  constructor(code: string, kind: GuardrailKind, guardrail: string, agent: string, info: unknown) {
    const detail = typeof info === 'string' ? `: ${info}` : '';
    super(code, `The ${kind.replace('_', ' ')} guardrail "${guardrail}" of agent ${agent} tripped${detail}`);
    this.guardrail = guardrail;
    this.kind = kind;
    this.agent = agent;
    this.info = info;
  }
}

/** An input guardrail tripped: no tool of the run had run yet. */
export class InputGuardrailTripwireTriggered extends GuardrailTripwireError {
  constructor(guardrail: string, agent: string, info: unknown) {
    super('input_guardrail_tripped', 'input', guardrail, agent, info);
  }
}

/** An output guardrail rejected the final answer. */
export class OutputGuardrailTripwireTriggered extends GuardrailTripwireError {
  constructor(guardrail: string, agent: string, info: unknown) {
    super('output_guardrail_tripped', 'output', guardrail, agent, info);
  }
}

/** A tool guardrail tripped before a call ran (`tool_input`) or on its result (`tool_output`). */
export class ToolGuardrailTripwireTriggered extends GuardrailTripwireError {
  readonly toolName: string;
  readonly callId: string;
  constructor(
    kind: 'tool_input' | 'tool_output',
    guardrail: string,
    agent: string,
    info: unknown,
    call: { toolName: string; callId: string },
  ) {
    super('tool_guardrail_tripped', kind, guardrail, agent, info);
    this.toolName = call.toolName;
    this.callId = call.callId;
  }
}

/** An agent (or the agents reachable from it) cannot be run as defined; the message names the field. */
export class AgentDefinitionError extends InterplayError {
  readonly agent: string | undefined;
  constructor(message: string, agent?: string) {
    super('agent_definition_invalid', message);
    this.agent = agent;
  }
}
