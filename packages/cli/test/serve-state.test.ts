/**
 * `run` and `watch` find the `interplay serve` started on this machine without flags (its state file), while
 * `--base-url` and the environment still win; and `pnpm interplay run "…"` prints only the answer on stdout.
 * Everything as real child processes against a real serve on 127.0.0.1; the state dir is a temp dir.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectableUrl, findLocalServe } from '../src/serve-state.ts';
import { resolveTarget } from '../src/target.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'interplay-state-'));
const stateDir = join(dir, 'state');
const scriptPath = join(dir, 'script.json');
writeFileSync(scriptPath, JSON.stringify({ rules: [{ respond: 'The answer is 42.' }] }));

/** The environment of every child: the temp state dir, and nothing that would pick another target. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, INTERPLAY_STATE_DIR: stateDir, ...extra };
  for (const name of ['GEMINI_API_KEY', 'INTERPLAY_API_KEY']) delete env[name];
  if (!('INTERPLAY_BASE_URL' in extra)) delete env.INTERPLAY_BASE_URL;
  return env;
}

let serve: ChildProcess;
let url: string;

beforeAll(async () => {
  serve = spawn(
    process.execPath,
    [MAIN, 'serve', '--port', '0', '--db', ':memory:', '--script', scriptPath, '--log-level', 'warn'],
    { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    serve.stdout?.on('data', (d) => {
      out += d;
      const m = /^Interplay listening on (\S+)\n/.exec(out);
      if (m) resolveUrl(m[1] as string);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}, 60_000);

afterAll(() => {
  if (serve.exitCode === null) serve.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env = childEnv()) =>
  spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });

describe('run and watch find the local serve', () => {
  it('with no flags, run talks to the serve started on this machine; watch finds it too', () => {
    const run = cli(['run', 'What is the answer?']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.split('\n')[0]).toContain(`interplay run → ${url}`);
    expect(run.stdout).toBe('The answer is 42.\n');
    const id = /interaction (v1_\S+)/.exec(run.stderr)?.[1];
    expect(id).toBeDefined();
    const watch = cli(['watch', id as string]);
    expect(watch.status, watch.stderr).toBe(0);
    expect(watch.stdout).toBe('The answer is 42.\n');
  }, 120_000);

  it('--base-url and INTERPLAY_BASE_URL win over the state file', () => {
    const elsewhere = 'http://127.0.0.1:1';
    const byEnv = cli(['run', 'hi'], childEnv({ INTERPLAY_BASE_URL: elsewhere }));
    expect(byEnv.status).toBe(1);
    expect(byEnv.stderr).toContain(`nothing is listening at ${elsewhere}`);
    const byFlag = cli(['run', 'hi', '--base-url', elsewhere]);
    expect(byFlag.status).toBe(1);
    expect(byFlag.stderr).toContain(`nothing is listening at ${elsewhere}`);
    expect(
      resolveTarget({}, { GEMINI_API_KEY: 'k' }, () => ({ url, pid: 1, started: '', open: true })).source,
    ).toBe('gemini');
  }, 120_000);

  it('pnpm interplay run "…" prints only the answer on stdout', () => {
    const run = spawnSync('pnpm', ['interplay', 'run', 'What is the answer?', '--base-url', url], {
      cwd: ROOT,
      env: childEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('The answer is 42.\n');
  }, 120_000);

  it('a serve that stopped is forgotten: its file goes on exit, a killed one is cleaned on the next read', async () => {
    const servers = join(stateDir, 'servers');
    expect(readdirSync(servers)).toEqual([`${serve.pid}.json`]);
    // A record left by a serve killed with SIGKILL (its process is gone): ignored and removed.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(
      join(servers, `${dead}.json`),
      JSON.stringify({ url: 'http://127.0.0.1:9', pid: dead, started: '9999' }),
    );
    expect(findLocalServe(childEnv())?.url).toBe(url);
    expect(existsSync(join(servers, `${dead}.json`))).toBe(false);
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
    expect(readdirSync(servers)).toEqual([]);
    expect(findLocalServe(childEnv())).toBeUndefined();
    expect(resolveTarget({}, childEnv()).source).toBe('default');
  }, 60_000);
});

describe('connectableUrl', () => {
  it('reaches a wildcard bind on loopback', () => {
    expect(connectableUrl('0.0.0.0', 8787)).toBe('http://127.0.0.1:8787');
    expect(connectableUrl('::', 1)).toBe('http://[::1]:1');
    expect(connectableUrl('::1', 2)).toBe('http://[::1]:2');
    expect(connectableUrl('localhost', 3)).toBe('http://localhost:3');
  });
});
