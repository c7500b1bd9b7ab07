/**
 * A stdio MCP server used client-side through the run loop: the framework spawns the server, bridges its tools
 * into function tools, runs the model's function calls on it and sends the results back — the path for what
 * hosted MCP cannot do (local stdio servers, Gemini 3 models, MCP mixed with function tools).
 *
 *   node examples/mcp/stdio-agent.ts
 *
 * Offline (default) the model is Interplay's scripted model on an in-process server; with GEMINI_API_KEY set it
 * is the real Gemini API. Either way the MCP server is a real child process, ended on exit.
 */
import { fileURLToPath } from 'node:url';
import { InteractionsClient } from '@interplay/client';
import { Runner } from '@interplay/core';
import { mcpServer, mcpToolErrors, resolveMcpTools } from '@interplay/mcp';
import { createInteractionsServer } from '@interplay/server';

const live = Boolean(process.env.GEMINI_API_KEY);
const model = live ? 'gemini-3-flash-preview' : 'gemini-2.5-flash';

const weather = mcpServer({
  name: 'weather_service',
  transport: {
    type: 'stdio',
    command: process.execPath,
    args: [fileURLToPath(new URL('./weather-server.ts', import.meta.url)), '--stdio'],
  },
  timeoutMs: 10_000,
});
const server = live ? undefined : createInteractionsServer({ port: 0 });

try {
  const baseUrl = server ? (await server.listen()).url : undefined;
  const client = new InteractionsClient(baseUrl ? { baseUrl, apiKey: 'offline' } : {});

  const { tools, decisions } = await resolveMcpTools([weather], { model });
  for (const d of decisions) console.log(`${d.name}: ${d.mode} (${d.reason})`);

  const runner = new Runner({ client, model, tools, onToolError: mcpToolErrors() });
  const run = runner.start('What is the weather like in Paris today?');
  run.on('tool_call', (e) => console.log(`→ ${e.call.name}(${JSON.stringify(e.call.arguments)})`));
  run.on('tool_result', (e) => console.log(`← ${JSON.stringify(e.result.result)}`));
  const result = await run.result;
  console.log(result.text);
  console.log(live ? '(real Gemini API)' : '(offline: scripted model, real MCP child process)');
} finally {
  await weather.close(); // ends the child process
  await server?.close();
}
