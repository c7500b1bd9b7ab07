/**
 * What a tool's `execute` (and `needsApproval`) receives besides its arguments: a plain object, so
 * `{ ...ctx }` or destructuring keeps every field, `signal` included.
 */

export interface ToolContext<TContext = unknown> {
  /** Aborted when the run is aborted or the tool's timeout fires (the reason says which). */
  signal: AbortSignal;
  /** The model's call id (`function_call.id`). */
  callId: string;
  toolName: string;
  /** 1-based number of the model step that made the call. */
  step: number;
  runId: string;
  /** The value given as `context` to `runner.run(…, { context })`. */
  context: TContext;
}

/** `needsApproval` gets the same context minus the signal (nothing is running yet). */
export type ApprovalContext<TContext = unknown> = Omit<ToolContext<TContext>, 'signal'>;
