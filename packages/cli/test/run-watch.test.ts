/**
 * `interplay run` and `interplay watch` as child processes against a real Interactions server started here on
 * 127.0.0.1 (scripted model, the deep-research agent reading the corpus served as local pages).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import {
  CorpusSearch,
  type CorpusSite,
  createInteractionsServer,
  DEFAULT_SCRIPT,
  type InteractionsServer,
  loadCorpus,
  DEMO_SEARCH_CORPUS as SEARCH_CORPUS,
  startCorpusSite,
} from '@interplay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');
const KEY = 'cli-test-key';
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

let server: InteractionsServer;
let site: CorpusSite;
let url: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  site = await startCorpusSite(loadCorpus(SEARCH_CORPUS));
  server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    apiKeys: [KEY],
    script: {
      delay_ms: 5,
      rules: [
        { when: { input: '^count slowly$' }, respond: words(150) },
        { when: { input: '^count very slowly$' }, respond: words(800) },
        ...DEFAULT_SCRIPT.rules,
      ],
    },
    builtins: { searchBackend: new CorpusSearch(site.documents), allowHosts: ['127.0.0.1'] },
    shutdownGraceMs: 100,
  });
  url = (await server.listen()).url;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await server?.close();
  await site?.close();
});

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** When each stdout chunk arrived (ms since start). */
  chunkTimes: number[];
  exited: Promise<number | null>;
  /** Resolves once stderr matches. */
  stderrMatches(re: RegExp): Promise<void>;
}

function cli(...args: string[]): Cli {
  const env = { ...process.env };
  for (const name of ['GEMINI_API_KEY', 'INTERPLAY_BASE_URL']) delete env[name];
  env.INTERPLAY_API_KEY = KEY; // the key from the environment (--api-key overrides it)
  const child = spawn(process.execPath, [MAIN, ...args, '--base-url', url], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const started = Date.now();
  let out = '';
  let err = '';
  const chunkTimes: number[] = [];
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (d) => {
    out += d;
    chunkTimes.push(Date.now() - started);
  });
  child.stderr?.on('data', (d) => {
    err += d;
    for (const w of waiters.splice(0))
      if (w.re.test(err)) w.resolve();
      else waiters.push(w);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    chunkTimes,
    exited,
    stderrMatches: (re) =>
      new Promise<void>((resolvePromise, reject) => {
        if (re.test(err)) return resolvePromise();
        waiters.push({ re, resolve: resolvePromise });
        child.once('exit', () => setTimeout(() => reject(new Error(`exited; stderr: ${err}`)), 50));
      }),
  };
}

async function startBackground(input: string): Promise<string> {
  const res = await fetch(`${url}/v1beta/interactions`, {
    method: 'POST',
    headers: { 'x-goog-api-key': KEY },
    body: JSON.stringify({ model: 'm', input, background: true }),
  });
  const body = (await res.json()) as { id: string; status: string };
  expect(body.status).toBe('in_progress');
  return body.id;
}

const statusOf = async (id: string) =>
  (
    (await (
      await fetch(`${url}/v1beta/interactions/${id}`, { headers: { 'x-goog-api-key': KEY } })
    ).json()) as {
      status: string;
    }
  ).status;

describe('interplay run', () => {
  it('streams a model answer to stdout as it arrives; the id and status go to stderr', async () => {
    const r = cli('run', 'count slowly');
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe(`${words(150)}\n`);
    // Streamed: many chunks, the first long before the end (150 words, 5 ms apart).
    expect(r.chunkTimes.length).toBeGreaterThan(5);
    expect((r.chunkTimes.at(-1) ?? 0) - (r.chunkTimes[0] ?? 0)).toBeGreaterThan(300);
    expect(r.stderr()).toMatch(/^interplay run → http:\/\/127\.0\.0\.1:\d+ \(model gemini-3-flash-preview/);
    expect(r.stderr()).toMatch(/interaction (v1_\S+) · attach from elsewhere: interplay watch v1_/);
    expect(r.stderr()).toMatch(/✓ completed · interaction v1_\S+ · \d+ tokens/);
  });

  it('speaks the legacy revision too', async () => {
    const r = cli('run', 'Tell me a joke', '--revision', 'legacy');
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe('Why do programmers prefer dark mode? Because light attracts bugs.\n');
    expect(r.stderr()).toMatch(/legacy revision/);
  });

  it('--agent deep-research … --background: progress on stderr, the cited report on stdout', async () => {
    const r = cli(
      'run',
      'Research the history of Google TPUs.',
      '--agent',
      'deep-research-pro-preview-12-2025',
      '--background',
    );
    expect(await r.exited).toBe(0);
    const err = r.stderr();
    expect(err).toMatch(/interaction v1_\S+ \(in_progress\)/);
    expect(err).toMatch(/thought: Planning the research — I will search for: "history of Google TPUs"/);
    expect(err).toMatch(/→ google_search: "Google TPUs"/);
    expect(err).toMatch(/← 5 pages fetched \(5 ok\)/);
    expect(err).toMatch(/✓ completed · interaction v1_\S+ · \d+ citations · \d+ tokens/);
    const report = r.stdout();
    expect(report).toMatch(/^## Research the history of Google TPUs\.\n\nKey findings:\n\n- /);
    expect(report).toMatch(/\nSources:\n\[1\] .+ — http:\/\/127\.0\.0\.1:\d+\/techhistory\.example\//);
  });

  it('exits 1 with the server error when the request is refused (here: no API key)', async () => {
    const r = cli('run', 'hi', '--api-key', '');
    expect(await r.exited).toBe(1);
    expect(r.stderr()).toMatch(/interplay run: HTTP 401 authentication: /);
    expect(r.stdout()).toBe('');
  });
});

describe('interplay watch', () => {
  it('attaches to a background interaction mid-run and follows it to the end', async () => {
    const id = await startBackground('count very slowly');
    const w = cli('watch', id);
    await w.stderrMatches(/interaction v1_/);
    expect(await statusOf(id)).toBe('in_progress'); // attached while it ran
    expect(await w.exited).toBe(0);
    expect(w.stdout()).toBe(`${words(800)}\n`); // replayed from the start, then live: nothing lost or doubled
    expect(w.chunkTimes.length).toBeGreaterThan(5); // followed by streaming, not one GET at the end
    expect(w.stderr()).toMatch(/status: in_progress/);
    expect(w.stderr()).toMatch(new RegExp(`✓ completed · interaction ${id} · \\d+ tokens`));
  });

  it('a finished interaction: its replay, the final status and the answer', async () => {
    const id = await startBackground('Tell me a joke');
    while ((await statusOf(id)) === 'in_progress') await new Promise((r) => setTimeout(r, 20));
    const w = cli('watch', id);
    expect(await w.exited).toBe(0);
    expect(w.stdout()).toBe('Why do programmers prefer dark mode? Because light attracts bugs.\n');
    expect(w.stderr()).toMatch(/✓ completed/);
  });

  it('Ctrl-C detaches and leaves the interaction running; --cancel-on-exit cancels it', async () => {
    const kept = await startBackground('count very slowly');
    const w = cli('watch', kept);
    await w.stderrMatches(/status: in_progress/);
    w.child.kill('SIGINT');
    expect(await w.exited).toBe(130);
    expect(w.stderr()).toMatch(
      new RegExp(`detached: interaction ${kept} keeps running · interplay watch ${kept}`),
    );
    expect(await statusOf(kept)).toBe('in_progress');

    const cancelled = await startBackground('count very slowly');
    const c = cli('watch', cancelled, '--cancel-on-exit');
    await c.stderrMatches(/status: in_progress/);
    c.child.kill('SIGINT');
    expect(await c.exited).toBe(130);
    expect(c.stderr()).toMatch(`cancelled interaction ${cancelled}`);
    expect(await statusOf(cancelled)).toBe('cancelled');
  });

  it('an unknown id: the server error, exit 1', async () => {
    const w = cli('watch', 'v1_nope');
    expect(await w.exited).toBe(1);
    expect(w.stderr()).toMatch(/interplay watch: HTTP 404 not_found: /);
  });
});
