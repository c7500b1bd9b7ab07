/** The types of the MCP helpers: what they hand to a core `Runner`. */
import type { PrepareStep, RunnerTool } from '@interplay/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type McpServerHandle, mcpPrepareStep, type ResolvedTools, resolveMcpTools } from '../src/index.ts';

declare const server: McpServerHandle;

describe('MCP helper types', () => {
  it('resolveMcpTools gives runner tools; mcpPrepareStep is a prepareStep', () => {
    expectTypeOf(resolveMcpTools([server])).resolves.toEqualTypeOf<ResolvedTools>();
    expectTypeOf<ResolvedTools['tools']>().toEqualTypeOf<RunnerTool[]>();
    expectTypeOf(mcpPrepareStep([server], { model: 'gemini-2.5-flash' })).toEqualTypeOf<
      PrepareStep<unknown>
    >();
    expectTypeOf(server.tools).returns.resolves.items.toMatchTypeOf<RunnerTool>();
  });
});
