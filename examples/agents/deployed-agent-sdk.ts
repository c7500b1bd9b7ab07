/**
 * Agents: an agent defined in code, deployed to the server, invoked from the official SDK.
 *
 *   node examples/agents/deployed-agent-sdk.ts
 *
 * `deployAgent` sends the agent's definition (model, instructions, server-side tools) to the agents resource
 * (`POST /v1beta/agents`). From then on any client runs it by name: here the official `@google/genai` SDK,
 * with `agent: 'tide-researcher'` and `background: true`, polling until it completes. The server applies the
 * agent's instruction and runs its `google_search` itself; nothing of the agent runs in this process.
 *
 * Offline only: the live API's agents resource is experimental and builds agents on its own base agents.
 * The scripted model gets two rules (below).
 */
import { GoogleGenAI } from '@google/genai';
import { Agent, deployAgent, googleSearch } from '@interplay/core';
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [
    {
      name: 'search first',
      when: { input: 'tide', tools: ['google_search'], last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['tide pools'] } }],
    },
    {
      name: 'answer from the top hit',
      when: { input: 'tide', last: 'google_search_result' },
      respond: 'From the search: {{last.result.0.title}}',
    },
  ],
});

const researcher = new Agent({
  name: 'tide-researcher',
  model: env.model,
  instructions: 'Answer questions about the sea from search results, citing them.',
  handoffDescription: 'Answers questions about the sea.',
  tools: [googleSearch()],
});

try {
  if (!env.offline) {
    console.log('This example deploys to the embedded server: run it without GEMINI_API_KEY.');
  } else {
    const stored = await deployAgent(researcher, { baseUrl: env.baseUrl, apiKey: env.apiKey, replace: true });
    console.log(
      `Deployed: ${stored.id} (base ${stored.base_agent}, tools ${stored.tools?.map((t) => t.type).join(', ')})`,
    );

    // Any client from here on — the official SDK, unchanged but for where it points.
    const ai = new GoogleGenAI(env.genai);
    const started = await ai.interactions.create({
      agent: 'tide-researcher',
      input: 'What lives in tide pools?',
      background: true,
    });
    console.log(`Started ${started.id}: ${started.status}`);
    let interaction = started;
    while (interaction.status !== 'completed' && interaction.status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling, as a background client does
      interaction = await ai.interactions.get(started.id);
    }
    console.log(`Status: ${interaction.status}`);
    console.log(`Steps: ${interaction.steps.map((step) => step.type).join(' → ')}`);
    console.log(`Answer: ${interaction.output_text}`);
  }
} finally {
  await env.close();
}
