/**
 * The serialized form of a `RunState`, one zod schema per `schemaVersion`. A state is always written in the
 * current version; every version in {@link SUPPORTED_RUN_STATE_VERSIONS} can still be read, and is brought
 * up to the current shape as it is read. A change that old readers could not read bumps the version: add a
 * schema and an upgrade step here, and keep the older ones.
 */
import type { Item, Usage } from '@interplay/protocol';
import { z } from 'zod/v4';
import { RunStateError, RunStateVersionError } from '../errors.ts';
import type { FinishReason, StepResult, ToolCall, ToolResult } from './types.ts';

/** The version `toJSON()` writes. */
export const RUN_STATE_SCHEMA_VERSION = 3;

/**
 * The versions `RunState.fromJSON` reads:
 * - 1: the first form;
 * - 2: each step also records the function tools it offered (`steps[].offeredTools`);
 * - 3: agent runs — the agent answering now (`agent`), and a call paused inside a sub-agent keeps that
 *   sub-agent's state (`calls[].nested`).
 */
export const SUPPORTED_RUN_STATE_VERSIONS: readonly number[] = [1, 2, 3];

export type RunMode = 'stateful' | 'stateless';

/** Where a call of the current step stands. */
export type CallStatus = 'ready' | 'awaiting_approval' | 'approved' | 'rejected' | 'done';

export interface CallRecord {
  call: ToolCall;
  step: number;
  status: CallStatus;
  rejectionReason?: string;
  result?: ToolResult;
  /** A call of an agent tool whose sub-agent paused for approval: that sub-agent and its run state. */
  nested?: NestedRun;
}

/** A sub-agent's paused run inside a call of its parent (`agent.asTool()`). */
export interface NestedRun {
  /** The sub-agent's name. */
  agent: string;
  state: SerializedRunState;
}

/** A serialized step: names, status and usage (outputs are on the server in stateful mode). */
export interface StepSummary {
  step: number;
  interactionId?: string;
  status: StepResult['status'];
  toolCalls: { id: string; name: string }[];
  /** The function tools offered in this step (absent when read from version 1). */
  offeredTools?: string[];
  usage: Usage;
}

/** What `JSON.stringify(state)` writes (the current version). */
export interface SerializedRunState {
  schemaVersion: number;
  runId: string;
  mode: RunMode;
  lastInteractionId?: string;
  stepCount: number;
  usage: Usage;
  /** Items to send with the next model call (user input, function results). */
  pendingInput: Item[];
  /** Calls of the latest step not yet answered. */
  calls: CallRecord[];
  /** Stateless mode only: every item sent and received so far. */
  history?: Item[];
  steps: StepSummary[];
  stopReason?: FinishReason;
  /** Agent runs: the name of the agent answering now (it changes with each handoff). */
  agent?: string;
}

const item = z.looseObject({ type: z.string() });
const usage = z.looseObject({});
const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.unknown() });
const toolResult = z.object({
  callId: z.string(),
  name: z.string(),
  result: z.unknown(),
  isError: z.boolean(),
  errorKind: z
    .enum(['unknown_tool', 'invalid_arguments', 'execution_error', 'timeout', 'rejected'])
    .optional(),
  durationMs: z.number(),
});
const callRecord = z.object({
  call: toolCall,
  step: z.int(),
  status: z.enum(['ready', 'awaiting_approval', 'approved', 'rejected', 'done']),
  rejectionReason: z.string().optional(),
  result: toolResult.optional(),
});
const stepV1 = z.object({
  step: z.int(),
  interactionId: z.string().optional(),
  status: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string() })),
  usage,
});

const v1 = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  mode: z.enum(['stateful', 'stateless']),
  lastInteractionId: z.string().optional(),
  stepCount: z.int().nonnegative(),
  usage,
  pendingInput: z.array(item),
  calls: z.array(callRecord),
  history: z.array(item).optional(),
  steps: z.array(stepV1),
  stopReason: z.string().optional(),
});

const v2 = v1.extend({
  schemaVersion: z.literal(2),
  steps: z.array(stepV1.extend({ offeredTools: z.array(z.string()).optional() })),
});

// A nested state is checked against its own version when the sub-agent resumes it (`RunState.fromJSON`).
const nested = z.object({ agent: z.string(), state: z.looseObject({ schemaVersion: z.number() }) });
const v3 = v2.extend({
  schemaVersion: z.literal(3),
  calls: z.array(callRecord.extend({ nested: nested.optional() })),
  agent: z.string().optional(),
});

/** How each readable version becomes the current shape. */
const READERS: Record<number, (data: unknown) => z.ZodSafeParseResult<unknown>> = {
  // Version 1 did not record the offered tools: its steps are read without them.
  1: (data) => v1.safeParse(data),
  // Versions 1 and 2 come from runs without agents: no `agent`, no nested runs.
  2: (data) => v2.safeParse(data),
  3: (data) => v3.safeParse(data),
};

/**
 * Check a parsed JSON value against the schema of its `schemaVersion` and return it in the current shape.
 * Throws `RunStateVersionError` for a version this release cannot read, `RunStateError` naming the first
 * bad fields otherwise.
 */
export function readSerializedState(data: unknown): SerializedRunState {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  const read = typeof version === 'number' ? READERS[version] : undefined;
  if (!read) throw new RunStateVersionError(version, SUPPORTED_RUN_STATE_VERSIONS);
  const parsed = read(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RunStateError(`Run state is malformed: ${detail}`);
  }
  return { ...(parsed.data as SerializedRunState), schemaVersion: RUN_STATE_SCHEMA_VERSION };
}
