/**
 * The `anthropic` provider through the conformance kit, against transcripts from Claude's Messages API
 * documentation (each fixture file names its source).
 */
import path from 'node:path';
import { kitFixtures, kitServerOptions, providerConformance } from './kit.ts';

const KEY = 'sk-ant-api03-conformance-abc123wxyz';

interface Block {
  type: string;
  tool_use_id?: string;
  content?: unknown;
}

providerConformance({
  name: 'anthropic',
  fixtureDir: path.join(import.meta.dirname, 'anthropic/fixtures'),
  fixtures: kitFixtures('thinking'),
  expected: {
    text: 'Hello!',
    textTotalTokens: 40,
    toolCall: { name: 'get_weather', arguments: { location: 'San Francisco, CA', unit: 'fahrenheit' } },
    toolCallFragments: [
      '{"location":',
      ' "San',
      ' Francisc',
      'o,',
      ' CA"',
      ', ',
      '"unit": "fah',
      'renheit"}',
    ],
    toolAnswer: 'It is sunny in San Francisco today.',
    parallelCalls: [
      { name: 'get_weather', arguments: { location: 'Paris, France' } },
      { name: 'get_weather', arguments: { location: 'Bogotá, Colombia' } },
    ],
    thought:
      'Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3\n3. 27 * 400 = 10,800\n4. 27 * 50 = 1,350\n5. 27 * 3 = 81\n6. 10,800 + 1,350 + 81 = 12,231',
    thoughtAnswer: '27 * 453 = 12,231',
    structured: { winning_team: 'Spain', score: '2-1' },
  },
  secrets: [KEY],
  serverOptions: (upstreamUrl) => kitServerOptions('anthropic', upstreamUrl, KEY),
  toolResultsIn: (body) =>
    (body.messages as { role: string; content: Block[] | string }[])
      .filter((m) => m.role === 'user' && Array.isArray(m.content))
      .flatMap((m) => m.content as Block[])
      .filter((b) => b.type === 'tool_result')
      .map((b) => ({ callId: String(b.tool_use_id), text: String(b.content) })),
  schemaIn: (body) => (body.output_config as { format?: { schema?: unknown } }).format?.schema,
});
