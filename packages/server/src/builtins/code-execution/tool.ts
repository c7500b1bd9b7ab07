/** `code_execution`: the model's `code_execution_call` runs in the Python sandbox → `code_execution_result`. */
import type { Item } from '@interplay/protocol';
import type { ServerTool } from '../../tools/server-tool.ts';
import { PythonPool, type PythonPoolOptions } from './pool.ts';
import type { ExecutionResult } from './sandbox.ts';

export interface CodeExecutionToolOptions extends PythonPoolOptions {
  /** Use this pool (shared, or configured elsewhere) instead of creating one. */
  pool?: PythonPool;
}

export interface CodeExecutionTool extends ServerTool {
  readonly pool: PythonPool;
  /** Stops the Python workers (only when the tool created its pool). */
  close(): Promise<void>;
}

export function codeExecutionTool(options: CodeExecutionToolOptions = {}): CodeExecutionTool {
  const { pool: given, ...poolOptions } = options;
  const pool = given ?? new PythonPool(poolOptions);
  return {
    toolType: 'code_execution',
    callType: 'code_execution_call',
    pool,
    async execute(call, ctx) {
      const args = (call.arguments ?? {}) as { language?: unknown; code?: unknown };
      const callId = String(call.id ?? '');
      const language = typeof args.language === 'string' ? args.language.toLowerCase() : 'python';
      if (language !== 'python') {
        return codeResult(callId, `only Python can run here, not '${String(args.language)}'`, true);
      }
      if (typeof args.code !== 'string' || args.code.trim() === '') {
        return codeResult(callId, 'the call has no code to run', true);
      }
      const outcome = await pool.run(args.code, { signal: ctx.signal, key: ctx.owner });
      return codeResult(callId, formatOutcome(outcome), !outcome.ok);
    },
    close: () => (given ? Promise.resolve() : pool.close()),
  };
}

/**
 * What the model reads: stdout, then stderr, then the last expression's value (as a notebook shows it), then
 * for a failure the traceback or the limit that stopped the program.
 */
export function formatOutcome(outcome: ExecutionResult): string {
  const parts: string[] = [];
  if (outcome.stdout) parts.push(outcome.stdout);
  if (outcome.stderr) parts.push(outcome.stderr);
  if (outcome.value !== undefined) parts.push(`${outcome.value}\n`);
  if (outcome.truncated) parts.push('[output cut: it was longer than the sandbox keeps]\n');
  if (!outcome.ok && outcome.error) parts.push(outcome.error);
  return parts
    .map((part) => (part.endsWith('\n') ? part : `${part}\n`))
    .join('')
    .trimEnd();
}

function codeResult(callId: string, result: string, isError: boolean): Item {
  return { type: 'code_execution_result', call_id: callId, result, ...(isError && { is_error: true }) };
}
