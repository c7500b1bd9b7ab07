/**
 * The `gemini` provider through the conformance kit, against fixtures composed from the Gemini API reference
 * and guides (each fixture file names its sources).
 */
import path from 'node:path';
import { KIT_SETTINGS, providerConformance } from './kit.ts';

const KEY = 'AIzaSy-conformance-key-0123456789';

interface Part {
  functionResponse?: { id?: string; name?: string; response?: { result?: string } };
}

providerConformance({
  name: 'gemini',
  fixtureDir: path.join(import.meta.dirname, 'gemini/fixtures'),
  fixtures: {
    text: 'text',
    toolCall: 'tool-call',
    parallelCalls: 'parallel-calls',
    thoughts: 'thoughts',
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
  expected: {
    text: 'Hello! How can I help you today?',
    textTotalTokens: 17,
    toolCall: { name: 'get_weather', arguments: { location: 'Paris, France' } },
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
    provider: 'gemini',
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
    (body.contents as { parts: Part[] }[])
      .flatMap((c) => c.parts)
      .filter((p) => p.functionResponse)
      .map((p) => ({
        callId: String(p.functionResponse?.id),
        text: String(p.functionResponse?.response?.result),
      })),
  schemaIn: (body) => (body.generationConfig as { responseJsonSchema?: unknown }).responseJsonSchema,
});
