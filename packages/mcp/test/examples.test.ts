/** The MCP examples run offline with one command each and exit on their own. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = (name: string) => fileURLToPath(new URL(`../../../examples/mcp/${name}`, import.meta.url));
const env = { ...process.env, GEMINI_API_KEY: '' };

describe('examples/mcp', () => {
  it('remote-mcp.ts: the seed example over hosted MCP, offline', async () => {
    const { stdout } = await run(process.execPath, [example('remote-mcp.ts')], { env, timeout: 20_000 });
    expect(stdout).toMatch(/→ weather_service\.get_weather\(\{"location":"New York"\}\)/);
    expect(stdout).toMatch(/Here is what I found: New York: \d+°C/);
  });

  it('stdio-agent.ts: a stdio MCP server bridged through the run loop, offline', async () => {
    const { stdout } = await run(process.execPath, [example('stdio-agent.ts')], { env, timeout: 20_000 });
    expect(stdout).toMatch(/weather_service: client \(stdio/);
    expect(stdout).toMatch(/Here is what I found: Paris: \d+°C/);
  });
});
