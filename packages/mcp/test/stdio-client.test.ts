/** Client-side MCP over stdio: a real child process, restarted and reaped. */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type McpServerHandle, mcpServer } from '../src/index.ts';

const SERVER = fileURLToPath(new URL('./fixtures/stdio-server.ts', import.meta.url));
const open: McpServerHandle[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function stdio(options: Partial<Parameters<typeof mcpServer>[0]> = {}): McpServerHandle {
  const server = mcpServer({
    name: 'local',
    transport: { type: 'stdio', command: process.execPath, args: [SERVER] },
    ...options,
  });
  open.push(server);
  return server;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('client-side MCP over stdio', () => {
  it('lists and calls tools of a child process', async () => {
    const server = stdio({ prefix: 'local' });
    const names = (await server.tools()).map((t) => t.name);
    expect(names).toContain('local_echo');
    expect((await server.callTool('echo', { text: 'over stdio' })).value).toBe('echo: over stdio');
    expect((await server.callTool('add', { a: 4, b: 5 })).value).toEqual({ sum: 9 });
  });

  it('ends the child on close (no process left behind)', async () => {
    const server = stdio();
    await server.connect();
    const pid = server.pid;
    expect(pid).toBeTypeOf('number');
    expect(alive(pid as number)).toBe(true);
    await server.close();
    await vi.waitFor(() => expect(alive(pid as number)).toBe(false), { timeout: 5_000 });
    expect(server.connected).toBe(false);
    await expect(server.callTool('echo', { text: 'x' })).rejects.toThrow(/closed/);
  });

  it('ends the child through Symbol.asyncDispose', async () => {
    const server = stdio();
    await server.connect();
    const pid = server.pid as number;
    await server[Symbol.asyncDispose]();
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5_000 });
  });

  it('respawns a child that died and goes on', async () => {
    const server = stdio();
    const first = Number((await server.callTool('pid')).value);
    process.kill(first, 'SIGKILL');
    await vi.waitFor(() => expect(server.connected).toBe(false), { timeout: 5_000 });
    const second = Number((await server.callTool('pid')).value);
    expect(second).not.toBe(first);
    expect(server.sessions).toBe(2);
    expect((await server.callTool('echo', { text: 'again' })).value).toBe('echo: again');
  });

  it('reports a command that cannot start, with its stderr', async () => {
    const server = stdio({
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: ['-e', 'console.error("no config"); process.exit(3)'],
      },
      connectTimeoutMs: 5_000,
    });
    await expect(server.connect()).rejects.toThrow(/Could not connect to MCP server "local"[\s\S]*no config/);
  });
});
