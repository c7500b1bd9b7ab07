/**
 * Failed calls are data: by default each becomes a `function_result` with `is_error: true` and a message the
 * model can act on, and the run goes on. `onToolError` can change that per failure.
 *
 * @example
 * new Runner({
 *   model: 'gemini-3-flash-preview',
 *   onToolError: (f) => (f.kind === 'execution_error' && f.toolName === 'pay' ? 'throw' : 'send_to_model'),
 * });
 */
import type { ValidationIssue } from '../errors.ts';
import { formatIssues } from '../schema/issues.ts';
import type { ToolErrorKind } from './types.ts';

/** A failed call, as shown to `onToolError`. */
export interface ToolFailure {
  kind: Exclude<ToolErrorKind, 'rejected'>;
  toolName: string;
  callId: string;
  /** The arguments as the model sent them. */
  arguments: unknown;
  /** The thrown error (execution errors), or a description of the failure. */
  error: unknown;
  /** Validation problems (invalid arguments). */
  issues?: ValidationIssue[];
  /** The message that will be sent to the model if nothing else is decided. */
  message: string;
}

/**
 * What to do with a failure: send the default error result (`'send_to_model'`), fail the run with a
 * `ToolExecutionError` (`'throw'`), or send a result of your own.
 */
export type ToolErrorDecision = 'send_to_model' | 'throw' | { result: unknown; isError?: boolean };

export type ToolErrorPolicy = (failure: ToolFailure) => ToolErrorDecision | Promise<ToolErrorDecision>;

const errorText = (error: unknown): string =>
  error instanceof Error
    ? error.message || error.name
    : typeof error === 'string'
      ? error
      : JSON.stringify(error);

export const toolErrorMessages = {
  unknownTool: (name: string, available: readonly string[]): string =>
    `Unknown tool "${name}". Available tools: ${available.length ? available.join(', ') : '(none)'}. Call one of them instead.`,
  malformedArguments: (name: string, detail: string): string =>
    `Invalid arguments for ${name}: the arguments are not valid JSON (${detail}). Fix and call again.`,
  invalidArguments: (name: string, issues: readonly ValidationIssue[]): string =>
    `Invalid arguments for ${name}: ${formatIssues(issues)}. Fix and call again.`,
  executionError: (name: string, error: unknown): string => `Error in tool ${name}: ${errorText(error)}`,
  timeout: (name: string, ms: number): string =>
    `Tool ${name} timed out after ${ms} ms and was stopped. Try again later or with a smaller request.`,
  rejected: (name: string, reason: string | undefined): string =>
    `The user rejected this call to ${name}${reason ? `: ${reason}` : '.'} Do not retry it unless asked.`,
};
