/**
 * The seeds' remote MCP example: the model calls the `weather_service` MCP server, which the *API* connects to
 * (a hosted `mcp_server` tool) — the client only names the server's URL.
 *
 *   node examples/mcp/remote-mcp.ts
 *
 * Offline (default): starts the weather MCP server and an Interplay Interactions server on free ports, runs the
 * example against them, and shuts both down. The model is the scripted offline model; the MCP connection, the
 * tool call and its recorded result are real. With GEMINI_API_KEY set, it asks the real API instead, with the
 * seeds' public demo server.
 */
import { InteractionsClient } from '@interplay/client';
import {
  createEngine,
  createInteractionsServer,
  createProviderRegistry,
  createServerToolRegistry,
  mcpServerTool,
} from '@interplay/server';
import { startWeatherServer } from './weather-server.ts';

const live = Boolean(process.env.GEMINI_API_KEY);

async function offline(): Promise<{ baseUrl: string; mcpUrl: string; stop: () => Promise<void> }> {
  const weather = await startWeatherServer();
  // The server connects to the MCP url itself; loopback is refused by default (SSRF), allowed for this demo.
  const mcp = mcpServerTool({ allowPrivateNetworks: true });
  const engine = createEngine({
    providers: [await createProviderRegistry().create('scripted')],
    tools: createServerToolRegistry([mcp]),
  });
  const server = createInteractionsServer({ port: 0, engine });
  const { url } = await server.listen();
  return {
    baseUrl: url,
    mcpUrl: weather.url,
    stop: async () => {
      await server.close();
      await mcp.close();
      await weather.close();
    },
  };
}

const target = live
  ? { baseUrl: undefined, mcpUrl: 'https://gemini-api-demos.uc.r.appspot.com/mcp', stop: async () => {} }
  : await offline();

try {
  const client = new InteractionsClient(target.baseUrl ? { baseUrl: target.baseUrl, apiKey: 'offline' } : {});

  // ---- the seed example -------------------------------------------------------------------------------
  const mcpServer = {
    type: 'mcp_server' as const,
    name: 'weather_service',
    url: target.mcpUrl,
  };

  const today = new Date().toDateString();

  const { interaction } = await client.create({
    model: 'gemini-2.5-flash',
    input: 'What is the weather like in New York today?',
    tools: [mcpServer],
    system_instruction: `Today is ${today}.`,
  });
  // -------------------------------------------------------------------------------------------------------

  for (const item of interaction.output) {
    if (item.type === 'mcp_server_tool_call')
      console.log(`→ ${item.server_name}.${item.name}(${JSON.stringify(item.arguments)})`);
    if (item.type === 'mcp_server_tool_result') console.log(`← ${JSON.stringify(item.result)}`);
  }
  const last = interaction.output.at(-1);
  const text =
    last?.type === 'model_output'
      ? (last.content ?? []).map((c) => ('text' in c ? c.text : '')).join('')
      : '';
  console.log(text);
  console.log(live ? '(real Gemini API)' : '(offline: scripted model, real MCP server and tool call)');
} finally {
  await target.stop();
}
