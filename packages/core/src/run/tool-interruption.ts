/**
 * A tool that pauses the whole run: it throws `ToolInterruption` with a run of its own that waits for a
 * human (a sub-agent's approval, `agent.asTool()`). The loop keeps that run in the call's record
 * (`nested`) and pauses; the call runs again, resuming it, once its approvals are decided.
 */
import type { NestedRun } from './state-schema.ts';

export class ToolInterruption extends Error {
  readonly nested: NestedRun;
  constructor(nested: NestedRun) {
    super(`The sub-agent ${nested.agent} waits for approval.`);
    this.nested = nested;
  }
}
