import { describe, expect, it } from 'vitest';
import { decideMcpModes, McpConfigError, type ModeServer } from '../src/index.ts';

const http = (name: string, extra: Partial<ModeServer> = {}): ModeServer => ({
  name,
  mode: 'auto',
  transport: 'http',
  mayNeedApproval: false,
  ...extra,
});
const none = { functionTools: 0, builtInTools: 0 };
const modes = (servers: ModeServer[], ctx: Parameters<typeof decideMcpModes>[1]) =>
  decideMcpModes(servers, ctx).map((d) => d.mode);

describe('decideMcpModes', () => {
  it('hosts an HTTP server when nothing prevents it', () => {
    expect(modes([http('a')], { model: 'gemini-2.5-flash', ...none })).toEqual(['hosted']);
  });

  it('bridges stdio servers, approval policies and Gemini 3 models', () => {
    expect(modes([http('a', { transport: 'stdio' })], { model: 'gemini-2.5-flash', ...none })).toEqual([
      'client',
    ]);
    expect(modes([http('a', { mayNeedApproval: true })], { model: 'gemini-2.5-flash', ...none })).toEqual([
      'client',
    ]);
    for (const model of ['gemini-3-flash-preview', 'gemini-3.1-pro-preview', 'models/gemini-3-pro-preview'])
      expect(modes([http('a')], { model, ...none })).toEqual(['client']);
    expect(modes([http('a')], { model: 'gemini-3-flash-preview', ...none, hostedMcp: () => true })).toEqual([
      'hosted',
    ]);
    expect(modes([http('a')], { agent: 'deep-research-preview-04-2026', ...none })).toEqual(['hosted']);
  });

  it('bridges every auto server when the request mixes MCP with functions or built-ins', () => {
    expect(
      modes([http('a'), http('b')], { model: 'gemini-2.5-flash', functionTools: 1, builtInTools: 0 }),
    ).toEqual(['client', 'client']);
    expect(modes([http('a')], { model: 'gemini-2.5-flash', functionTools: 0, builtInTools: 1 })).toEqual([
      'client',
    ]);
    // One stdio server becomes function tools, so the HTTP one cannot stay hosted either.
    const [, b] = decideMcpModes([http('a', { transport: 'stdio' }), http('b')], {
      model: 'gemini-2.5-flash',
      ...none,
    });
    expect(b).toMatchObject({ mode: 'client', reason: expect.stringMatching(/server "a" is bridged/) });
  });

  it('honors forced modes, refusing what cannot work', () => {
    expect(
      modes([http('a', { mode: 'hosted' })], {
        model: 'gemini-3-flash-preview',
        functionTools: 2,
        builtInTools: 0,
      }),
    ).toEqual(['hosted']);
    expect(modes([http('a', { mode: 'client' })], { model: 'gemini-2.5-flash', ...none })).toEqual([
      'client',
    ]);
    expect(() => decideMcpModes([http('a', { mode: 'hosted', transport: 'stdio' })], none)).toThrow(
      McpConfigError,
    );
    expect(() => decideMcpModes([http('a', { mode: 'hosted', mayNeedApproval: true })], none)).toThrow(
      /approval/,
    );
  });
});
