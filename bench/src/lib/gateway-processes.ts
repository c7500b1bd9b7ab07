/**
 * Starting the gateway benchmark's processes: the fake paced upstream, Interplay and the bare Node gateway
 * (children over IPC, see gateway-child.ts), and the Portkey gateway (`@portkey-ai/gateway`, its own
 * `start-server.js` as a child process on a free port, headless). CPU time of a process is read from /proc
 * (Linux), so all of them are measured the same way.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { spawnChild } from './child.ts';
import type { GatewayChildConfig } from './gateway-child.ts';

const ENTRY = new URL('./gateway-child.ts', import.meta.url);
/** Clock ticks per second of /proc/PID/stat times (USER_HZ; 100 on Linux). */
const CLOCK_TICKS = 100;

export interface GatewayProcess {
  /** Base URL: `http://127.0.0.1:PORT` (the upstream's ends with `/v1`). */
  url: string;
  pid: number;
  /** CPU time (user + system) of the process so far, in microseconds. */
  cpuMicros(): number;
  close(): Promise<void>;
}

/** CPU of `pid` from /proc/PID/stat (fields 14 and 15: utime, stime, in clock ticks). */
export function procCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
}

export async function startPacedUpstream(
  tokens: number,
  paceMs: number,
): Promise<GatewayProcess & { requests(): Promise<number> }> {
  const child = await spawnChild<{ url: string }>(ENTRY, {
    kind: 'upstream',
    tokens,
    paceMs,
  } satisfies GatewayChildConfig);
  return {
    url: child.info.url,
    pid: child.pid,
    cpuMicros: () => procCpuMicros(child.pid),
    requests: async () => (await child.call<{ requests: number }>('stats')).requests,
    close: () => child.close(),
  };
}

export async function startInterplayGateway(upstreamUrl: string): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-gateway-'));
  const child = await spawnChild<{ url: string }>(ENTRY, {
    kind: 'interplay',
    upstreamUrl,
    dbPath: join(dir, 'bench.db'),
  } satisfies GatewayChildConfig);
  return {
    url: child.info.url,
    pid: child.pid,
    cpuMicros: () => procCpuMicros(child.pid),
    close: async () => {
      await child.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The least a Node gateway does for the same request (bare-gateway.ts): the floor of the figures. */
export async function startBareGateway(upstreamUrl: string): Promise<GatewayProcess> {
  const child = await spawnChild<{ url: string }>(ENTRY, {
    kind: 'bare',
    upstreamUrl,
  } satisfies GatewayChildConfig);
  return {
    url: child.info.url,
    pid: child.pid,
    cpuMicros: () => procCpuMicros(child.pid),
    close: () => child.close(),
  };
}

export async function startPortkey(): Promise<GatewayProcess> {
  const require = createRequire(import.meta.url);
  const entry = join(dirname(require.resolve('@portkey-ai/gateway/package.json')), 'build/start-server.js');
  const port = await freePort();
  return startForeign('Portkey', port, process.execPath, [entry, `--port=${port}`, '--headless'], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * A process that is not ours (Portkey, nginx), listening on `port`: ready when it answers anything over HTTP
 * at `readyPath`; closed with SIGTERM.
 */
export async function startForeign(
  name: string,
  port: number,
  command: string,
  args: string[],
  { env = process.env, readyPath = '/' }: { env?: NodeJS.ProcessEnv; readyPath?: string } = {},
): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    try {
      const res = await request(`${url}${readyPath}`, { method: 'GET' });
      await res.body.dump();
      break;
    } catch {
      if (child.exitCode !== null || i > 300) throw new Error(`${name} did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    pid: child.pid as number,
    cpuMicros: () => procCpuMicros(child.pid as number),
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
