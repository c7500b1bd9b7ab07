/** Options of a `Runner` and of one run, and their defaults. */
import type { GenerationConfig, ToolChoice, Tool as WireTool } from '@interplay/protocol';
import type { InteractionsBackend } from '../backend/backend.ts';
import type { AnyInteractionsClient } from '../backend/client-backend.ts';
import type { TypedJsonSchema, ZodV3Like, ZodV4Like } from '../schema/detect.ts';
import type { AnyTool } from '../tool/tool.ts';
import type { RunInput } from './input.ts';
import type { RunMode, RunState } from './state.ts';
import type { StopCondition } from './stop-conditions.ts';
import type { ToolErrorPolicy } from './tool-errors.ts';
import type { StepResult } from './types.ts';

export const DEFAULTS = {
  maxSteps: 10,
  toolConcurrency: 10,
  /** 5 minutes: a stuck tool must not hang a run forever. */
  toolTimeoutMs: 300_000,
} as const;

/** A schema for the final answer (zod v4, zod v3, or `jsonSchema<T>(…)`). */
export type OutputSchema<T> = ZodV4Like<T> | ZodV3Like<T> | TypedJsonSchema<T>;

/** Function tools (from `tool()`) and built-in/hosted tools (`{ type: 'google_search' }`, `mcp_server`, …). */
export type RunnerTool = AnyTool | WireTool;

/** What `prepareStep` may change for one model call. */
export interface StepOverrides {
  /** Replace the tool list for this step. */
  tools?: readonly RunnerTool[];
  /** Offer only these function tools (by name) for this step. */
  activeTools?: readonly string[];
  generationConfig?: GenerationConfig;
  toolChoice?: ToolChoice;
  model?: string;
  instructions?: string;
}

export interface PrepareStepInfo<TContext> {
  /** 1-based number of the step about to run (with `resumed`: the step whose calls are about to run). */
  step: number;
  /**
   * `false`: the step's model call is about to be made. `true`: the run was resumed (e.g. after an approval)
   * and calls that step made in an earlier run are about to run; only the answer's `tools` and
   * `activeTools` count then, to find those calls' tools (among the names the step offered).
   */
  resumed: boolean;
  steps: readonly StepResult[];
  state: RunState;
  context: TContext;
}

/**
 * Per-step overrides, asked before every model call — and again, with `resumed: true`, when a resumed run
 * executes calls of a step made in an earlier run (its tools are not kept across processes, only their names).
 *
 * @example
 * new Runner({
 *   model: 'gemini-3-flash-preview',
 *   prepareStep: async ({ step }) => ({ tools: await loadTools(), ...(step === 1 ? { toolChoice: 'any' } : {}) }),
 * });
 */
export type PrepareStep<TContext> = (
  info: PrepareStepInfo<TContext>,
) => StepOverrides | undefined | Promise<StepOverrides | undefined>;

export interface RunnerOptions<TOutput = undefined, TContext = unknown> {
  /**
   * The Interactions client (either revision). Default: `clientFromEnv()` — `INTERPLAY_BASE_URL`, else live
   * Gemini with `GEMINI_API_KEY`, else the Runner throws `client_not_configured` saying which to set. Not
   * used when a `backend` is given.
   */
  client?: AnyInteractionsClient;
  /** Another way to reach the API (wins over `client`): see `InteractionsBackend`. */
  backend?: InteractionsBackend;
  model?: string;
  /** An agent instead of a model (tools are then usually not allowed by the API). */
  agent?: string;
  /** Sent as `system_instruction` with every call (the API does not inherit it). */
  instructions?: string;
  tools?: readonly RunnerTool[];
  generationConfig?: GenerationConfig;
  toolChoice?: ToolChoice;
  /** Ask for JSON matching this schema; `result.output` is then parsed, validated and typed. */
  responseFormat?: OutputSchema<TOutput>;
  /**
   * `stateful` (default): each call continues the previous interaction (`previous_interaction_id`) and sends only
   * new items. `stateless`: `store: false`, the whole history (thoughts and signatures included) is re-sent.
   */
  mode?: RunMode;
  /** Stream each model call (text/thought deltas, stream cursors). Default false. */
  stream?: boolean;
  /** Most model calls per run, across resumes (default 10). Reaching it ends with `finishReason: 'max_steps'`. */
  maxSteps?: number;
  /** Throw `MaxStepsExceededError` instead of returning `finishReason: 'max_steps'`. */
  throwOnMaxSteps?: boolean;
  /** Predicates over the steps so far, checked after every step whose calls have run; any → stop. */
  stopWhen?: StopCondition | StopCondition[];
  /** Stop (after running it) as soon as the model calls one of these tools. */
  stopAtTools?: readonly string[];
  /** Per-step overrides (tools, generation config, tool choice, model, instructions). */
  prepareStep?: PrepareStep<TContext>;
  /** Most tool calls running at once (default 10). */
  toolConcurrency?: number;
  /** Time limit per tool call in ms when the tool sets none (default 300 000; 0 = none). */
  toolTimeoutMs?: number;
  /** Decide what happens to failed calls (default: send an error result to the model). */
  onToolError?: ToolErrorPolicy;
  /** Recursion depth for a recursive `responseFormat` schema (default 3). */
  maxRecursionDepth?: number;
}

export interface RunOptions<TContext = unknown> {
  signal?: AbortSignal;
  /** Passed to every tool as `ctx.context` (and to `prepareStep`). */
  context?: TContext;
  /** Override the runner's `maxSteps` for this run. */
  maxSteps?: number;
  /** When resuming a state: new user input to send with the continuation (e.g. a follow-up question). */
  input?: RunInput;
}
