/**
 * `interplay serve` in a child process, as a user runs it: from this checkout's sources (what `pnpm demo`
 * and a clone run, TypeScript stripped by Node) or from the build (`pnpm build`'s `dist/`, what an installed
 * package runs: plain JavaScript, no type stripper). Its memory is read from /proc, so nothing in the server
 * process is there for the benchmark.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_CLI = join(REPO, 'packages/cli/bin/interplay.js');
const BUILT_CLI = join(REPO, 'packages/cli/dist/main.js');
/** Resolves `@interplay/*` to the packages' `dist/`, as an installed package's manifest does. */
const DIST_RESOLVE = fileURLToPath(new URL('./dist-resolve.mjs', import.meta.url));

export interface ServeOptions {
  /** Run the build (`dist/`, see `buildPackages`) rather than the sources. */
  built?: boolean;
  /** A script for the scripted provider (`--script`), written to a file in the server's folder. */
  script?: object;
  /** Start without Node's compile cache: the first start on a fresh machine or container. */
  noCompileCache?: boolean;
}

export interface ServeProcess {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/**
 * Builds every package (`pnpm build`: `scripts/clean-dist.mjs`, then `tsc -b`), so `startServe({ built })`
 * runs what this checkout would publish.
 */
export function buildPackages(): void {
  const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
  for (const args of [['scripts/clean-dist.mjs'], [tsc, '-b', 'tsconfig.build.json']]) {
    const run = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`build: ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
  }
}

/** `interplay serve --port 0` on a fresh SQLite file; resolves once it prints the URL it listens on. */
export async function startServe(options: ServeOptions = {}): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-bench-serve-'));
  const args = ['serve', '--port', '0', '--db', join(dir, 'db.sqlite')];
  if (options.script) {
    const file = join(dir, 'script.json');
    writeFileSync(file, JSON.stringify(options.script));
    args.push('--script', file);
  }
  const node = options.built
    ? ['--no-warnings', '--import', DIST_RESOLVE, BUILT_CLI]
    : ['--experimental-strip-types', '--no-warnings', SOURCE_CLI];
  const child: ChildProcess = spawn(process.execPath, [...node, ...args], {
    env: {
      ...process.env,
      INTERPLAY_STATE_DIR: dir,
      ...(options.noCompileCache ? { NODE_DISABLE_COMPILE_CACHE: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`interplay serve exited (${code}) before listening: ${out}`)),
    );
  });
  return {
    url,
    pid: child.pid as number,
    async close() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A field of /proc/PID/status in bytes (VmRSS: now; VmHWM: the peak since the process started). */
export function procMemory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  const kb = Number(line?.split(/\s+/)[1]);
  if (!Number.isFinite(kb)) throw new Error(`no ${field} in /proc/${pid}/status`);
  return kb * 1024;
}
