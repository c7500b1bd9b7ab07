/**
 * `interplay serve` as a real child process: the ready line, kill -9 mid-run then restart on the same SQLite
 * file (the run is failed, not left in_progress), and SIGTERM (exit 0, running turns failed as shut down).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChatCompletionsUpstream } from '../../server/test/fakes/chat-completions-upstream.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'interplay-cli-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const scriptPath = join(dir, 'slow.json');
writeFileSync(
  scriptPath,
  JSON.stringify({ delay_ms: 20, rules: [{ respond: [{ type: 'text', text: words(2000) }] }] }),
);

interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    cwd: ROOT,
    // Its state file (where run/watch find it) goes to the temp dir, not the user's.
    env: { ...process.env, INTERPLAY_STATE_DIR: join(dir, 'state') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${err}`)), 15_000);
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /^Interplay listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1] as string, stdout: () => out, exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ready; stderr: ${err}`)));
  });
}

// biome-ignore lint/suspicious/noExplicitAny: test convenience
type Json = Record<string, any>;

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Json };
}

const startBackground = (url: string) =>
  json(`${url}/v1beta/interactions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'm', input: 'Tell me everything', background: true }),
  });

describe('interplay serve --provider openai (child process)', () => {
  it('answers through the upstream named by --provider-url, with --provider-model', async () => {
    const upstream = await startChatCompletionsUpstream();
    try {
      const s = await serve([
        '--db',
        ':memory:',
        '--provider',
        'openai',
        '--provider-url',
        upstream.url,
        '--provider-model',
        'qwen3:8b',
      ]);
      const { status, body } = await json(`${s.url}/v1beta/interactions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'gemini-3-flash-preview', input: 'Hi, my name is Phil.' }),
      });
      expect(status).toBe(200);
      expect(body.steps.at(-1).content[0].text).toBe('Nice to meet you, Phil!');
      expect(upstream.requests.map((r) => r.model)).toEqual(['qwen3:8b']);
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
    } finally {
      await upstream.close();
    }
  });
});

describe('interplay serve (child process)', () => {
  it('prints exactly one ready line with the real port', async () => {
    const s = await serve(['--db', ':memory:']);
    expect(s.stdout()).toMatch(/^Interplay listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(s.url).not.toMatch(/:0$/);
    expect((await json(`${s.url}/healthz`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('kill -9 mid-run, restart on the same file: the run is failed with the restart error', async () => {
    const db = join(dir, 'crash.db');
    const first = await serve(['--db', db, '--script', scriptPath]);
    const { body } = await startBackground(first.url);
    expect(body.status).toBe('in_progress');
    await new Promise((r) => setTimeout(r, 300));
    const mid = await json(`${first.url}/v1beta/interactions/${body.id}`);
    expect(mid.body.status).toBe('in_progress');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await serve(['--db', db, '--script', scriptPath]);
    const after = await json(`${second.url}/v1beta/interactions/${body.id}`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('failed');
    expect(after.body.errors).toEqual([{ code: 'api_error', message: 'interrupted by a server restart' }]);
    // What streamed before the crash was kept.
    expect(after.body.steps.at(-1).content[0].text).toMatch(/^w0 w1 /);
    // A replay of its log ends (error + terminal event + [DONE]) instead of hanging.
    const replay = await (await fetch(`${second.url}/v1beta/interactions/${body.id}?stream=true`)).text();
    expect(replay).toContain(
      'event: error\ndata: {"event_type":"error","error":{"code":"api_error","message":"interrupted by a server restart"}',
    );
    expect(replay).toMatch(
      /event: interaction\.completed\ndata: [^\n]*"status":"failed"[^\n]*\n\nevent: done\ndata: \[DONE\]\n\n$/,
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 30_000);

  it('SIGTERM: exits 0, running turns are failed as shut down, and open streams end', async () => {
    const db = join(dir, 'term.db');
    const s = await serve(['--db', db, '--script', scriptPath, '--grace', '100ms']);
    const { body } = await startBackground(s.url);
    const stream = await fetch(`${s.url}/v1beta/interactions/${body.id}?stream=true`);
    const text = stream.text();
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const streamed = await text;
    expect(streamed).toContain('"code":"service_unavailable"');
    expect(streamed.endsWith('event: done\ndata: [DONE]\n\n')).toBe(true);

    const again = await serve(['--db', db, '--script', scriptPath]);
    const after = await json(`${again.url}/v1beta/interactions/${body.id}`);
    expect(after.body.status).toBe('failed');
    expect(after.body.errors[0].code).toBe('service_unavailable');
    expect(after.body.errors[0].message).toMatch(/shut down/);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 30_000);
});
