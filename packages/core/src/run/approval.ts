/**
 * Does a call wait for a human? Only when its tool asks (`needsApproval: true`, or a predicate over the
 * validated arguments says so). Calls with invalid arguments never wait: the model must fix them first.
 */
import type { AnyTool } from '../tool/tool.ts';
import type { ToolCall } from './types.ts';

export interface ApprovalEnv {
  step: number;
  runId: string;
  context: unknown;
}

export async function needsApproval(
  tool: AnyTool | undefined,
  call: ToolCall,
  env: ApprovalEnv,
): Promise<boolean> {
  if (!tool || tool.needsApproval === false) return false;
  let args = call.arguments;
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      return false;
    }
  }
  const validated = tool.validate(args ?? {});
  if (!validated.ok) return false;
  if (tool.needsApproval === true) return true;
  const ctx = {
    callId: call.id,
    toolName: call.name,
    step: env.step,
    runId: env.runId,
    context: env.context,
  };
  return await tool.needsApproval(validated.value, ctx);
}
