/**
 * @interplay/core — typed tools, Gemini-safe schemas and the function_call / function_result run loop.
 * A first agent needs this one import: `Runner`, `tool` and `z` (the zod your project installed), with the
 * client taken from the environment (`INTERPLAY_BASE_URL` or `GEMINI_API_KEY`) or given as `client`.
 *
 * @example
 * import { Runner, tool, z } from '@interplay/core';
 * const getWeather = tool({
 *   name: 'get_weather',
 *   description: 'The current weather in a city',
 *   parameters: z.object({ location: z.string() }),
 *   execute: async ({ location }) => `sunny in ${location}`,
 * });
 * const result = await new Runner({ model: 'gemini-3-flash-preview', tools: [getWeather] }).run('Weather in Paris?');
 *
 * @module @interplay/core
 */

export { type ClientOptions, InteractionsClient } from '@interplay/client';
/** The protocol's usage sum and answer text, the ones every package uses. */
export { addUsage, answerText } from '@interplay/protocol';
export { z } from 'zod';
export * from './agent/index.ts';
export type {
  BackendCallOptions,
  BackendEvent,
  BackendStream,
  FollowOptions,
  InteractionsBackend,
} from './backend/backend.ts';
export { type AnyInteractionsClient, clientBackend } from './backend/client-backend.ts';
export { clientFromEnv } from './client-from-env.ts';
export * from './compose/index.ts';
export * from './errors.ts';
export type * from './run/events.ts';
export { type RunInput, toItems } from './run/input.ts';
export { type NextAction, type NextActionLimits, nextAction } from './run/next-action.ts';
export {
  DEFAULTS,
  type OutputSchema,
  type PrepareStep,
  type PrepareStepInfo,
  type RunnerOptions,
  type RunnerTool,
  type RunOptions,
  type StepOverrides,
} from './run/options.ts';
export type { RunResult } from './run/result.ts';
export { RunHandle } from './run/run-handle.ts';
export { Runner } from './run/runner.ts';
export { RunState } from './run/state.ts';
export {
  type CallRecord,
  type CallStatus,
  type NestedRun,
  RUN_STATE_SCHEMA_VERSION,
  type RunMode,
  type SerializedRunState,
  type StepSummary,
  SUPPORTED_RUN_STATE_VERSIONS,
} from './run/state-schema.ts';
export {
  hasToolCall,
  type StopCondition,
  type StopContext,
  shouldStop,
  stepCountIs,
  totalTokensAtLeast,
} from './run/stop-conditions.ts';
export { parseStructuredOutput } from './run/structured-output.ts';
export type { ToolErrorDecision, ToolErrorPolicy, ToolFailure } from './run/tool-errors.ts';
export type * from './run/types.ts';
export type {
  InferSchema,
  SchemaKind,
  SchemaSource,
  TypedJsonSchema,
  ZodV3Like,
  ZodV4Like,
} from './schema/detect.ts';
export { jsonSchema, schemaKind } from './schema/detect.ts';
export { formatIssues, formatPath } from './schema/issues.ts';
export type { JsonSchema } from './schema/json-schema.ts';
export { rootParameters } from './schema/root-parameters.ts';
export { type GeminiSchemaOptions, toGeminiSchema } from './schema/to-gemini-schema.ts';
export { createValidator, type ValidationResult, type Validator } from './schema/validate.ts';
export {
  type ComputerUseOptions,
  codeExecution,
  computerUse,
  fileSearch,
  googleMaps,
  googleSearch,
  urlContext,
} from './tool/builtins.ts';
export type { ApprovalContext, ToolContext } from './tool/context.ts';
export {
  type AnyTool,
  isToolDefinition,
  type NeedsApproval,
  type ToolConfig,
  type ToolDefinition,
  tool,
} from './tool/tool.ts';
export { WebhookInbox } from './webhooks/inbox.ts';
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookEvent,
  type WebhookVerificationCode,
  WebhookVerificationError,
} from './webhooks/verify.ts';
