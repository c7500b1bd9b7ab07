/** Invalid bodies give `invalid_request` errors that name the field path in a human sentence. */
import { describe, expect, it } from 'vitest';
import {
  formatIssuePath,
  parseCreateRequest,
  parseEvent,
  parseInteraction,
  type Revision,
} from '../src/index.ts';

const m = { model: 'gemini-3-flash-preview' };

interface Case {
  name: string;
  revision: Revision;
  body: unknown;
  field: string | undefined;
  message: string;
}

const cases: Case[] = [
  {
    name: 'missing input',
    revision: 'legacy',
    body: { ...m },
    field: 'input',
    message: "'input' is required.",
  },
  {
    name: 'neither model nor agent',
    revision: 'steps',
    body: { input: 'hi' },
    field: 'model',
    message: "Either 'model' or 'agent' is required.",
  },
  {
    name: 'both model and agent',
    revision: 'legacy',
    body: { ...m, agent: 'deep-research-pro-preview-12-2025', input: 'hi' },
    field: 'agent',
    message: "Specify either 'model' or 'agent', not both.",
  },
  {
    name: 'model + agent_config',
    revision: 'legacy',
    body: { ...m, input: 'hi', agent_config: { type: 'deep-research' } },
    field: 'agent_config',
    message: "Specified 'model' and 'agent_config'. If specifying 'model', use 'generation_config'.",
  },
  {
    name: 'agent + generation_config',
    revision: 'steps',
    body: { agent: 'deep-research-preview-04-2026', input: 'hi', generation_config: { temperature: 1 } },
    field: 'generation_config',
    message: "Specified 'agent' and 'generation_config'. If specifying 'agent', use 'agent_config'.",
  },
  {
    name: 'non-object body (array)',
    revision: 'legacy',
    body: [{ ...m, input: 'hi' }],
    field: undefined,
    message: 'The request body must be an object, got an array.',
  },
  {
    name: 'non-object body (string)',
    revision: 'steps',
    body: '{"model":"x"}',
    field: undefined,
    message: 'The request body must be an object, got a string.',
  },
  {
    name: 'null body',
    revision: 'legacy',
    body: null,
    field: undefined,
    message: 'The request body must be an object, got null.',
  },
  {
    name: 'wrong type deep inside a Turn',
    revision: 'legacy',
    body: {
      ...m,
      input: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 42 },
          ],
        },
      ],
    },
    field: 'input[0].content[1].text',
    message: "Expected a string at 'input[0].content[1].text', got an integer.",
  },
  {
    name: 'bad enum in generation_config.thinking_level',
    revision: 'legacy',
    body: { ...m, input: 'hi', generation_config: { thinking_level: 'extreme' } },
    field: 'generation_config.thinking_level',
    message:
      "The value 'extreme' is not supported for 'thinking_level' at 'generation_config'. Expected one of: 'minimal', 'low', 'medium', 'high'.",
  },
  {
    name: 'tools[2].type unknown',
    revision: 'steps',
    body: {
      ...m,
      input: 'hi',
      tools: [{ type: 'google_search' }, { type: 'url_context' }, { type: 'teleport' }],
    },
    field: 'tools[2].type',
    message: "The value 'teleport' is not supported for 'type' at 'tools[2]'.",
  },
  {
    name: 'function_call without id',
    revision: 'legacy',
    body: { ...m, input: [{ type: 'function_call', name: 'get_weather', arguments: {} }] },
    field: 'input[0].id',
    message: "'input[0].id' is required.",
  },
  {
    name: 'function_result without call_id (second entry)',
    revision: 'legacy',
    body: {
      ...m,
      input: [
        { type: 'text', text: 'x' },
        { type: 'function_result', result: 'ok' },
      ],
    },
    field: 'input[1].call_id',
    message: "'input[1].call_id' is required.",
  },
  {
    name: 'function_result without result',
    revision: 'steps',
    body: { ...m, input: [{ type: 'function_result', call_id: 'c1' }] },
    field: 'input[0].result',
    message: "'input[0].result' is required.",
  },
  {
    name: 'content without type',
    revision: 'legacy',
    body: { ...m, input: [{ text: 'no type' }] },
    field: 'input[0].type',
    message: "'input[0].type' is required.",
  },
  {
    name: 'input of the wrong type',
    revision: 'legacy',
    body: { ...m, input: 42 },
    field: 'input',
    message: "Expected a string, an object or an array at 'input', got an integer.",
  },
  {
    name: 'stream is not a boolean',
    revision: 'legacy',
    body: { ...m, input: 'hi', stream: 'yes' },
    field: 'stream',
    message: "Expected a boolean at 'stream', got a string.",
  },
  {
    name: 'non-integer max_output_tokens',
    revision: 'steps',
    body: { ...m, input: 'hi', generation_config: { max_output_tokens: 10.5 } },
    field: 'generation_config.max_output_tokens',
    message: "Expected an integer at 'generation_config.max_output_tokens', got a number.",
  },
  {
    name: 'function parameters not an object',
    revision: 'legacy',
    body: { ...m, input: 'hi', tools: [{ type: 'function', name: 'f', parameters: 'none' }] },
    field: 'tools[0].parameters',
    message: "Expected an object at 'tools[0].parameters', got a string.",
  },
  {
    name: 'bad tool_choice object',
    revision: 'legacy',
    body: { ...m, input: 'hi', generation_config: { tool_choice: { allowed_tools: { mode: 'sometimes' } } } },
    field: 'generation_config.tool_choice.allowed_tools.mode',
    message:
      "The value 'sometimes' is not supported for 'mode' at 'generation_config.tool_choice.allowed_tools'. Expected one of: 'auto', 'any', 'none', 'validated'.",
  },
  {
    name: 'bad tool_choice string',
    revision: 'legacy',
    body: { ...m, input: 'hi', generation_config: { tool_choice: 'sometimes' } },
    field: 'generation_config.tool_choice',
    message:
      "The value 'sometimes' is not supported for 'tool_choice' at 'generation_config'. Expected one of: 'auto', 'any', 'none', 'validated'.",
  },
  {
    name: 'bad service_tier',
    revision: 'legacy',
    body: { ...m, input: 'hi', service_tier: 'deferred' },
    field: 'service_tier',
    message:
      "The value 'deferred' is not supported for 'service_tier'. Expected one of: 'flex', 'standard', 'priority'.",
  },
  {
    name: 'Turn role not user/model',
    revision: 'legacy',
    body: { ...m, input: [{ role: 'system', content: 'be nice' }] },
    field: 'input[0].role',
    message:
      "The value 'system' is not supported for 'role' at 'input[0]'. Expected one of: 'user', 'model'.",
  },
  {
    name: 'mcp header value not a string',
    revision: 'steps',
    body: { ...m, input: 'hi', tools: [{ type: 'mcp_server', headers: { 'x-api-key': 5 } }] },
    field: 'tools[0].headers["x-api-key"]',
    message: 'Expected a string at \'tools[0].headers["x-api-key"]\', got an integer.',
  },
  {
    name: 'response_format entry with a bad image_size',
    revision: 'steps',
    body: { ...m, input: 'hi', response_format: [{ type: 'image', image_size: '8K' }] },
    field: 'response_format[0].image_size',
    message:
      "The value '8K' is not supported for 'image_size' at 'response_format[0]'. Expected one of: '1K', '2K', '4K', '512'.",
  },
  {
    name: 'speech_config of the wrong type',
    revision: 'legacy',
    body: { ...m, input: 'hi', generation_config: { speech_config: 'Kore' } },
    field: 'generation_config.speech_config',
    message: "Expected an object or an array at 'generation_config.speech_config', got a string.",
  },
  {
    name: 'system_instruction as Content (legacy wants a string)',
    revision: 'legacy',
    body: { ...m, input: 'hi', system_instruction: { type: 'text', text: 'be brief' } },
    field: 'system_instruction',
    message: "Expected a string at 'system_instruction', got an object.",
  },
];

describe('create-request errors', () => {
  it('has at least 15 cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = parseCreateRequest(c.body, c.revision);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.name).toBe('InteractionsError');
    expect(r.error.code).toBe('invalid_request');
    expect(r.error.status).toBe(400);
    expect(r.error.field).toBe(c.field);
    expect(r.error.message).toBe(c.message);
    expect(r.error.toEnvelope()).toEqual({ error: { code: 'invalid_request', message: c.message } });
  });
});

describe('response and event errors', () => {
  it('an interaction without id', () => {
    const r = parseInteraction({ status: 'completed' }, 'steps');
    expect(!r.ok && [r.error.field, r.error.message]).toEqual(['id', "'id' is required."]);
  });

  it('a known event with a wrong field type', () => {
    const r = parseEvent(
      { event_type: 'content.delta', index: '0', delta: { type: 'text', text: 'a' } },
      'legacy',
    );
    expect(!r.ok && r.error.field).toBe('index');
  });

  it('a known delta with a missing required field', () => {
    const r = parseEvent(
      { event_type: 'content.delta', index: 0, delta: { type: 'function_call', id: 'a' } },
      'legacy',
    );
    expect(!r.ok && r.error.field).toBe('delta.name');
  });

  it('event data that is not JSON or not an object', () => {
    expect(parseEvent('[DONE]', 'steps').ok).toBe(false);
    const r = parseEvent(3, 'steps');
    expect(!r.ok && r.error.message).toBe('The event must be an object, got an integer.');
  });
});

describe('formatIssuePath', () => {
  it.each([
    [[], ''],
    [['input'], 'input'],
    [['tools', 0, 'parameters'], 'tools[0].parameters'],
    [[0, 'a', 1, 2], '[0].a[1][2]'],
    [['headers', 'x-api-key'], 'headers["x-api-key"]'],
    [['a', 'b c', '$ok', '_x1'], 'a["b c"].$ok._x1'],
    [[Symbol('s')], '[Symbol(s)]'],
  ] as const)('%j → %s', (path, expected) => {
    expect(formatIssuePath(path)).toBe(expected);
  });
});
