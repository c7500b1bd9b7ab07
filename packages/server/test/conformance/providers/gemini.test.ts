/**
 * The `gemini` provider through the conformance kit, against fixtures composed from the Gemini API reference
 * and guides (each fixture file names its sources).
 */
import path from 'node:path';
import { kitFixtures, kitServerOptions, providerConformance } from './kit.ts';

const KEY = 'AIzaSy-conformance-key-0123456789';

interface Part {
  functionResponse?: { id?: string; name?: string; response?: { result?: string } };
}

providerConformance({
  name: 'gemini',
  fixtureDir: path.join(import.meta.dirname, 'gemini/fixtures'),
  fixtures: kitFixtures('thoughts'),
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
  serverOptions: (upstreamUrl) => kitServerOptions('gemini', upstreamUrl, KEY),
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
