/**
 * The engine's server tool loop: calls run on the server and their results go back to the provider, in
 * parallel up to toolConcurrency, with errors, unoffered tools, MCP servers, mixed client calls,
 * maxToolRounds and toolTimeoutMs turned into results or outcomes.
 */
import type { Tool } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../src/providers/provider.ts';
import { createServerToolRegistry } from '../src/tools/registry.ts';
import type { ServerTool } from '../src/tools/server-tool.ts';
import { calculator, codeCall, codeTools, fakeProvider, run, shape, text } from './helpers/engine-harness.ts';

describe('engine: server tool loop', () => {
  it('runs the call, records call and result steps, and calls the provider again with the result', async () => {
    const { provider, requests } = fakeProvider((n, req) => {
      if (n === 0) return [text('Let me compute.'), codeCall('c1', '2 + 3 * 4')];
      const result = req.items.at(-1);
      return [text(`The answer is ${String(result?.result)}.`)];
    });
    const { outcome, events } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(requests).toHaveLength(2);
    expect(shape(events)).toEqual([
      'start 0 model_output',
      'delta 0 text',
      'stop 0',
      'start 1 code_execution_call',
      'stop 1',
      'start 2 code_execution_result',
      'stop 2',
      'start 3 model_output',
      'delta 3 text',
      'stop 3',
    ]);
    expect(outcome.status).toBe('completed');
    expect(outcome.output[2]).toEqual({ type: 'code_execution_result', call_id: 'c1', result: '14' });
    expect(outcome.output[3]).toEqual({
      type: 'model_output',
      content: [{ type: 'text', text: 'The answer is 14.' }],
    });
  });

  it('runs the calls of one round in parallel, capped by toolConcurrency', async () => {
    const calls = () => [codeCall('a', '1'), codeCall('b', '2'), codeCall('c', '3')];
    for (const [cap, expected] of [
      [8, 3],
      [1, 1],
    ] as const) {
      const active = { now: 0, max: 0 };
      const { provider } = fakeProvider((n) => (n === 0 ? calls() : [text('ok')]));
      const { outcome, events } = await run(provider, {
        tools: createServerToolRegistry([calculator({ delayMs: 30, active })]),
        toolConcurrency: cap,
        request: { tools: codeTools },
      });
      expect(active.max).toBe(expected);
      const results = outcome.output.filter((i) => i.type === 'code_execution_result');
      expect(results.map((r) => r.call_id).sort()).toEqual(['a', 'b', 'c']);
      const starts = events.filter((e) => e.event_type === 'step.start').map((e) => e.index);
      expect(starts).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it('turns a throwing tool into an is_error result and goes on', async () => {
    const { provider, requests } = fakeProvider((n) =>
      n === 0 ? [codeCall('bad', '2 +')] : [text('recovered')],
    );
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(outcome.output[1]).toEqual({
      type: 'code_execution_result',
      call_id: 'bad',
      is_error: true,
      result: 'unexpected end of input',
    });
    expect(requests[1]?.items.at(-1)).toMatchObject({ is_error: true });
    expect(outcome.status).toBe('completed');
  });

  it('answers calls for unregistered or unoffered tools with is_error results', async () => {
    const { provider } = fakeProvider((n) =>
      n === 0
        ? [
            codeCall('c1', '1'),
            {
              type: 'item',
              item: { type: 'url_context_call', id: 'u1', arguments: { urls: ['https://a.example'] } },
            },
          ]
        : [text('ok')],
    );
    // code_execution is registered but not offered; url_context has no tool on this server.
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: [] },
    });
    const results = Object.fromEntries(outcome.output.filter((i) => i.is_error).map((i) => [i.call_id, i]));
    expect(results.c1).toEqual({
      type: 'code_execution_result',
      call_id: 'c1',
      is_error: true,
      result: "tool 'code_execution' was not offered in this request",
    });
    expect(results.u1).toMatchObject({
      type: 'url_context_result',
      call_id: 'u1',
      is_error: true,
      result: [{ url: 'https://a.example', status: 'error' }],
    });
    expect(outcome.status).toBe('completed');
  });

  it('matches an MCP call to the offered server of the same name and hands over its declaration', async () => {
    const seen: Tool[] = [];
    const mcp: ServerTool = {
      toolType: 'mcp_server',
      callType: 'mcp_server_tool_call',
      async execute(call, ctx) {
        seen.push(ctx.declaration);
        return {
          type: 'mcp_server_tool_result',
          call_id: String(call.id),
          name: String(call.name),
          result: 'sunny',
        };
      },
    };
    const mcpCall = (id: string, server: string): ProviderEvent => ({
      type: 'item',
      item: { type: 'mcp_server_tool_call', id, name: 'get_weather', server_name: server, arguments: {} },
    });
    const { provider } = fakeProvider((n) =>
      n === 0 ? [mcpCall('m1', 'weather'), mcpCall('m2', 'other')] : [text('ok')],
    );
    const offered: Tool[] = [
      { type: 'mcp_server', name: 'news', url: 'http://news' },
      { type: 'mcp_server', name: 'weather', url: 'http://weather' },
    ];
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([mcp]),
      request: { tools: offered },
    });
    expect(seen).toEqual([offered[1]]);
    const byCall = Object.fromEntries(
      outcome.output.filter((i) => 'call_id' in i).map((i) => [i.call_id, i]),
    );
    expect(byCall.m1).toMatchObject({ result: 'sunny' });
    expect(byCall.m2).toMatchObject({
      is_error: true,
      result: "tool 'mcp_server other' was not offered in this request",
    });
  });

  it('runs server calls before ending requires_action when a client call comes in the same round', async () => {
    const { provider, requests } = fakeProvider(() => [
      codeCall('c1', '6 * 7'),
      { type: 'item', item: { type: 'function_call', id: 'f1', name: 'notify', arguments: {} } },
    ]);
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      request: { tools: codeTools },
    });
    expect(requests).toHaveLength(1);
    expect(outcome.status).toBe('requires_action');
    expect(outcome.output.map((i) => i.type)).toEqual([
      'code_execution_call',
      'function_call',
      'code_execution_result',
    ]);
    expect(outcome.output[2]).toMatchObject({ call_id: 'c1', result: '42' });
  });

  it('ends incomplete after maxToolRounds rounds, every call answered', async () => {
    const { provider, requests } = fakeProvider((n) => [codeCall(`c${n}`, '1 + 1')]);
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([calculator()]),
      maxToolRounds: 3,
      request: { tools: codeTools },
    });
    expect(requests).toHaveLength(3);
    expect(outcome.status).toBe('incomplete');
    expect(outcome.status === 'incomplete' && outcome.reason).toMatch(/3 rounds/);
    expect(outcome.output.filter((i) => i.type === 'code_execution_result')).toHaveLength(3);
  });

  it('turns a tool that outlives toolTimeoutMs into an is_error result', async () => {
    const hanging: ServerTool = {
      toolType: 'code_execution',
      callType: 'code_execution_call',
      execute: () => new Promise(() => {}), // ignores its signal
    };
    const { provider } = fakeProvider((n) => (n === 0 ? [codeCall('c1', '1')] : [text('ok')]));
    const { outcome } = await run(provider, {
      tools: createServerToolRegistry([hanging]),
      toolTimeoutMs: 30,
      request: { tools: codeTools },
    });
    expect(outcome.output[1]).toMatchObject({
      call_id: 'c1',
      is_error: true,
      result: 'tool timed out after 30 ms',
    });
    expect(outcome.status).toBe('completed');
  });
});
