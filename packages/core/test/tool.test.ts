/** `tool()`: declarations and definition errors (its types: tool.test-d.ts). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolDefinitionError, tool } from '../src/index.ts';

describe('tool()', () => {
  it('builds the seed get_weather declaration from a zod schema', () => {
    const getWeather = tool({
      name: 'get_weather',
      description: 'Gets the weather for a given location.',
      parameters: z.object({ location: z.string().describe('The city and state, e.g. San Francisco, CA') }),
      execute: ({ location }) => `The weather in ${location} is sunny.`,
    });
    expect(getWeather.declaration).toEqual({
      type: 'function',
      name: 'get_weather',
      description: 'Gets the weather for a given location.',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
        },
        required: ['location'],
      },
    });
  });

  it('omits parameters for a tool without arguments', () => {
    const now = tool({
      name: 'now',
      description: 'Current time',
      parameters: z.object({}),
      execute: () => Date.now(),
    });
    expect(now.declaration).toEqual({ type: 'function', name: 'now', description: 'Current time' });
  });

  it('refuses invalid names and non-object parameters with ToolDefinitionError', () => {
    const base = { description: 'x', execute: () => 1 };
    expect(() => tool({ ...base, name: 'get weather', parameters: z.object({}) })).toThrow(
      ToolDefinitionError,
    );
    expect(() => tool({ ...base, name: '9lives', parameters: z.object({}) })).toThrow(/Invalid tool name/);
    expect(() => tool({ ...base, name: 'x'.repeat(65), parameters: z.object({}) })).toThrow(
      ToolDefinitionError,
    );
    const err = (() => {
      try {
        tool({ ...base, name: 'scalar', parameters: z.string() });
      } catch (e) {
        return e as ToolDefinitionError;
      }
    })();
    expect(err).toBeInstanceOf(ToolDefinitionError);
    expect(err?.code).toBe('tool_definition_invalid');
    expect(err?.toolName).toBe('scalar');
    expect(err?.message).toMatch(/Tool scalar: Tool parameters must be an object schema/);
  });
});
