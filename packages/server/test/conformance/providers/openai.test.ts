/**
 * The `openai` provider through the conformance kit, against fixtures from OpenAI's API reference and guides,
 * Ollama's and vLLM's documentation (each fixture file names its source).
 */
import path from 'node:path';
import { KIT_SETTINGS, providerConformance } from './kit.ts';

const KEY = 'sk-conformance-abc123wxyz';

providerConformance({
  name: 'openai',
  fixtureDir: path.join(import.meta.dirname, 'openai/fixtures'),
  fixtures: {
    text: 'text',
    toolCall: 'tool-call',
    parallelCalls: 'parallel-calls',
    thoughts: 'reasoning',
    structured: 'structured',
    length: 'length',
    unauthorized: 'error-401',
    forbidden: 'error-403',
    rateLimitThenOk: 'rate-limit-then-ok',
    rateLimitLong: 'rate-limit-long',
    rateLimit: 'rate-limit',
    serverErrorThenOk: 'server-error-then-ok',
    overloaded: 'overloaded',
    resetThenOk: 'reset-then-ok',
    stall: 'stall',
    hold: 'hold',
  },
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
  serverOptions: (upstreamUrl) => ({
    provider: 'openai',
    providerOptions: {
      baseUrl: upstreamUrl,
      apiKey: KEY,
      stallMs: KIT_SETTINGS.stallMs,
      retry: {
        maxAttempts: KIT_SETTINGS.maxAttempts,
        baseDelayMs: KIT_SETTINGS.baseDelayMs,
        maxRetryAfterMs: KIT_SETTINGS.maxRetryAfterMs,
      },
    },
    builtins: false,
    mcp: false,
  }),
  toolResultsIn: (body) =>
    (body.messages as { role: string; tool_call_id?: string; content?: string }[])
      .filter((m) => m.role === 'tool')
      .map((m) => ({ callId: String(m.tool_call_id), text: String(m.content) })),
  schemaIn: (body) => (body.response_format as { json_schema?: { schema?: unknown } }).json_schema?.schema,
});
