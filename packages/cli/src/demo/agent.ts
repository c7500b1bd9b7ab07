/**
 * Part 2 — a multi-step agent. A weather MCP server runs in this process (Streamable HTTP on 127.0.0.1) and is
 * attached client-side with @interplay/mcp: its tools become function tools the Runner executes (live Gemini
 * cannot reach 127.0.0.1, so it could not host it). Next to it, the API's built-in `code_execution` — Python run
 * by the server (offline: Interplay's Pyodide sandbox; live: Gemini's). Every step is shown: the model call, the
 * calls it made (the two forecasts run in parallel), the Python program and its output, the answer.
 */
import { codeExecution, Runner } from '@interplay/core';
import { mcpServer, mcpToolErrors, resolveMcpTools } from '@interplay/mcp';
import { answerText, type Item } from '@interplay/protocol';
import { describeResult } from '../describe.ts';
import { seconds } from '../terminal.ts';
import type { DemoEnv } from './env.ts';
import type { DemoOutput } from './output.ts';
import { AGENT_PROMPT } from './script.ts';
import { startWeatherMcp } from './weather-mcp.ts';

export async function agentWithMcp(env: DemoEnv, out: DemoOutput, signal: AbortSignal): Promise<void> {
  out.heading(2, 'Multi-step agent', 'an MCP server (client-side) and code execution (server-side Python)');
  const mcp = await startWeatherMcp();
  const weather = mcpServer({
    name: 'weather_service',
    transport: { type: 'http', url: mcp.url },
    mode: 'client',
    timeoutMs: 10_000,
  });
  try {
    const { tools } = await resolveMcpTools([weather, codeExecution()], { model: env.model });
    out.line(`MCP server weather_service at ${mcp.url}, bridged client-side as: ${functionNames(tools)}`);
    out.line('built-in tool: code_execution (run by the API server)');

    const runner = new Runner({
      client: env.client,
      model: env.model,
      instructions:
        'Use get_weather for weather (call it once per city, in parallel) and code_execution for any math. ' +
        'Answer briefly.',
      tools,
      stream: true,
      toolConcurrency: 4,
      onToolError: mcpToolErrors(),
    });
    const started = Date.now();
    const at = () => `+${seconds(Date.now() - started)}`;
    out.line(`user: ${AGENT_PROMPT}`);
    // One consumer for every event, so lines come out in the order things happened.
    const run = runner.start(AGENT_PROMPT, { signal });
    for await (const e of run.events()) {
      if (e.type === 'step_start') out.line(`step ${e.step}: model call · ${at()}`);
      else if (e.type === 'tool_call')
        out.line(`  → ${e.call.name}(${JSON.stringify(e.call.arguments)}) via MCP · ${at()}`);
      else if (e.type === 'tool_result')
        out.line(
          `  ← ${e.result.name}: ${describeResult('function_result', e.result.result, e.result.isError, 100)} ` +
            `(${e.result.durationMs} ms) · ${at()}`,
        );
      else if (e.type === 'step_finish') {
        // Server-executed steps and the text arrive inside the model call; show them in their order.
        for (const item of e.result.output) showOutput(item, out);
        const calls = e.result.toolResults.length;
        if (calls > 1) out.note(`the ${calls} calls of step ${e.step} ran in parallel`);
      }
    }
    const result = await run.result;
    out.note(
      `${result.finishReason} · ${result.steps.length} model calls · ` +
        `${result.steps.reduce((n, s) => n + s.toolResults.length, 0)} MCP calls · ${result.usage.total_tokens} tokens`,
    );
  } finally {
    await weather.close().catch(() => {});
    await mcp.close();
  }
}

/** What a model call produced, besides function calls: server-executed steps (code execution, …) and text. */
function showOutput(item: Item, out: DemoOutput): void {
  const fields = item as Record<string, unknown>;
  if (item.type === 'model_output') {
    const text = answerText([item]);
    if (text) out.endAnswer(text);
  } else if (item.type === 'code_execution_call') {
    const args = (fields.arguments ?? {}) as { code?: unknown; language?: unknown };
    out.line(`  ⚙ code_execution (${String(args.language ?? 'python').toLowerCase()}, run by the server):`);
    out.line(
      `      ${String(args.code ?? '')
        .trimEnd()
        .replace(/\n/g, '\n      ')}`,
    );
  } else if (item.type === 'code_execution_result') {
    out.line(`  = ${describeResult(item.type, fields.result, fields.is_error === true, 200)}`);
  } else if (item.type.endsWith('_result') && item.type !== 'function_result') {
    out.line(`  = ${item.type}: ${describeResult(item.type, fields.result, fields.is_error === true, 120)}`);
  }
}

function functionNames(tools: readonly unknown[]): string {
  return tools
    .map((t) => (t as { name?: unknown; type?: unknown }).name ?? (t as { type?: unknown }).type)
    .filter((n) => n !== 'code_execution')
    .join(', ');
}
