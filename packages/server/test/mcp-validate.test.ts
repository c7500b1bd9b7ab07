/** Request-time validation of `mcp_server` declarations and the `allowed_tools` rule. */
import { InteractionsError, statusForCode } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { isMcpToolAllowed, validateMcpServerTool, validateMcpServerTools } from '../src/mcp/index.ts';

const decl = (extra: Record<string, unknown> = {}) =>
  ({ type: 'mcp_server', name: 'weather_service', url: 'https://mcp.example.com/mcp', ...extra }) as const;

function errorOf(fn: () => void): InteractionsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InteractionsError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('validateMcpServerTool', () => {
  it('accepts a snake_case name and an http(s) url', () => {
    expect(() => validateMcpServerTool(decl(), 0)).not.toThrow();
  });

  it("rejects '-' in the name as invalid_request naming tools[i].name", () => {
    const error = errorOf(() =>
      validateMcpServerTools([{ type: 'url_context' }, decl({ name: 'weather-service' })]),
    );
    expect(error.code).toBe('invalid_request');
    expect(statusForCode(error.code)).toBe(400);
    expect(error.field).toBe('tools[1].name');
    expect(error.message).toMatch(/tools\[1\]\.name.*weather_service/);
  });

  it('requires a name and an http(s) url', () => {
    expect(errorOf(() => validateMcpServerTool(decl({ name: undefined }), 2)).field).toBe('tools[2].name');
    expect(errorOf(() => validateMcpServerTool(decl({ url: undefined }), 0)).field).toBe('tools[0].url');
    expect(errorOf(() => validateMcpServerTool(decl({ url: 'file:///etc/passwd' }), 0)).field).toBe(
      'tools[0].url',
    );
  });
});

describe('allowed_tools', () => {
  it('allows everything when absent or empty', () => {
    expect(isMcpToolAllowed(decl(), 'x')).toBe(true);
    expect(isMcpToolAllowed(decl({ allowed_tools: [] }), 'x')).toBe(true);
  });

  it('allows listed tools, every tool of a list-less entry, nothing under mode none', () => {
    expect(isMcpToolAllowed(decl({ allowed_tools: [{ tools: ['a'] }] }), 'a')).toBe(true);
    expect(isMcpToolAllowed(decl({ allowed_tools: [{ tools: ['a'] }] }), 'b')).toBe(false);
    expect(isMcpToolAllowed(decl({ allowed_tools: [{ mode: 'auto' }] }), 'b')).toBe(true);
    expect(isMcpToolAllowed(decl({ allowed_tools: [{ mode: 'none', tools: ['a'] }] }), 'a')).toBe(false);
  });
});
