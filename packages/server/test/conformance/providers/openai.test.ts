/**
 * The `openai` provider through the conformance kit, against fixtures from OpenAI's API reference and guides,
 * Ollama's and vLLM's documentation (each fixture file names its source).
 */
import path from 'node:path';
import { kitFixtures, kitServerOptions, providerConformance } from './kit.ts';

const KEY = 'sk-conformance-abc123wxyz';

providerConformance({
  name: 'openai',
  fixtureDir: path.join(import.meta.dirname, 'openai/fixtures'),
  fixtures: kitFixtures('reasoning'),
  extraCallFixtures: {
    'ollama-calls': [
      { name: 'get_weather', arguments: { location: 'Paris, France' } },
      { name: 'get_weather', arguments: { location: 'Bogotá, Colombia' } },
    ],
  },
  extraThoughtFixtures: { 'reasoning-content': 'Compare the tenths: 1 < 8, so 9.8 is greater.' },
  expected: {
    text: 'Hello! How can I help you today?',
    textTotalTokens: 29,
    toolCall: { name: 'get_weather', arguments: { location: 'Paris, France' } },
    toolCallFragments: ['{"', 'location', '":"', 'Paris', ',', ' France', '"}'],
    toolAnswer: 'It is sunny in Paris today.',
    parallelCalls: [
      { name: 'get_weather', arguments: { location: 'Paris, France' } },
      { name: 'get_weather', arguments: { location: 'Bogotá, Colombia' } },
    ],
    thought: '9.11 and 9.8: compare the tenths, 1 < 8, so 9.8 is greater.',
    thoughtAnswer: '9.8 is greater than 9.11.',
    structured: { winning_team: 'Spain', score: '2-1' },
  },
  secrets: [KEY],
  serverOptions: (upstreamUrl) => kitServerOptions('openai', upstreamUrl, KEY),
  toolResultsIn: (body) =>
    (body.messages as { role: string; tool_call_id?: string; content?: string }[])
      .filter((m) => m.role === 'tool')
      .map((m) => ({ callId: String(m.tool_call_id), text: String(m.content) })),
  schemaIn: (body) => (body.response_format as { json_schema?: { schema?: unknown } }).json_schema?.schema,
});
