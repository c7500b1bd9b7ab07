/** The command dispatcher and `serve` flag parsing. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DEMO_SEARCH_CORPUS } from '@interplay/server';
import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/demo/index.ts';
import { parseRunArgs, runRequest } from '../src/run.ts';
import { parseServeArgs, UsageError } from '../src/serve-options.ts';
import { LIVE_BASE_URL, LOCAL_BASE_URL, resolveTarget } from '../src/target.ts';
import { parseWatchArgs } from '../src/watch.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'packages/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('interplay', () => {
  it('help, unknown commands, serve --help, bad flags', () => {
    expect(run('--help').stdout).toMatch(/serve/);
    const unknown = run('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const help = run('serve', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--retention DURATION/);
    const bad = run('serve', '--port', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--port/);
    expect(run('serve', '--bogus').status).toBe(2);
  });

  // One test per process: each starts a Node process that loads the CLI, which takes seconds on a loaded machine.
  it.each(['run', 'watch', 'demo'])('%s --help exits 0 with its usage', (command) => {
    const help = run(command, '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: interplay ${command}`));
  });

  it.each<[string[], RegExp]>([
    [['run'], /interplay run: a prompt is required/],
    [['run', 'hi', '--model', 'm', '--agent', 'a'], /give --model or --agent, not both/],
    [['run', 'hi', '--model', ''], /--model and --agent need an id/],
    [['run', 'hi', '--revision', 'newest'], /--revision must be steps or legacy/],
    [['run', 'hi', '--api-version', 'v2'], /--api-version must be v1beta, v1 or v1alpha/],
    [['run', 'hi', '--base-url', 'ftp://x'], /--base-url must be an http\(s\) URL/],
    [['run', 'hi', '--frobnicate'], /interplay run: Unknown option '--frobnicate'/],
    [['watch'], /interplay watch: an interaction id is required/],
    [['watch', 'a', 'b'], /give one interaction id/],
    [['demo', '--only', 'everything'], /--only must be one of tools, agent, research/],
    [['demo', '--revision', 'v3'], /--revision must be steps or legacy/],
    [['demo', 'extra'], /interplay demo: Unexpected argument 'extra'/],
  ])('usage error %j exits 2 with a message and the usage', (args, message) => {
    const r = run(...args);
    expect(r.status, args.join(' ')).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: interplay /);
    expect(r.stdout).toBe('');
  });

  it('run: a clear error when nothing listens at the target (exit 1)', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'packages/cli/src/main.ts'), 'run', 'hi', '--base-url', 'http://127.0.0.1:9'],
      { cwd: ROOT, encoding: 'utf8', env: cleanEnv() },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/interplay run: nothing is listening at http:\/\/127\.0\.0\.1:9 /);
  });

  it('refuses an open non-loopback bind with a clear message (exit 1)', () => {
    const r = run('serve', '--host', '0.0.0.0', '--port', '0', '--db', ':memory:', '--log-level', 'silent');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without API keys/);
  });
});

/** The environment without anything that would pick a target or a key. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['GEMINI_API_KEY', 'INTERPLAY_BASE_URL', 'INTERPLAY_API_KEY']) delete env[name];
  return env;
}

describe('target resolution (run, watch)', () => {
  it('--base-url, else INTERPLAY_BASE_URL, else live Gemini with GEMINI_API_KEY, else the local default', () => {
    expect(resolveTarget({}, {})).toEqual({
      baseUrl: LOCAL_BASE_URL,
      apiKey: '',
      revision: 'steps',
      apiVersion: 'v1beta',
      source: 'default',
    });
    expect(resolveTarget({}, { GEMINI_API_KEY: 'g' })).toMatchObject({
      baseUrl: LIVE_BASE_URL,
      apiKey: 'g',
      source: 'gemini',
    });
    // A Gemini key is never sent to another server; INTERPLAY_API_KEY or --api-key is.
    expect(resolveTarget({}, { GEMINI_API_KEY: 'g', INTERPLAY_BASE_URL: 'http://h:1' })).toMatchObject({
      baseUrl: 'http://h:1',
      apiKey: '',
      source: 'env',
    });
    expect(
      resolveTarget({ 'base-url': 'http://x:2', 'api-key': 'k' }, { INTERPLAY_BASE_URL: 'http://h:1' }),
    ).toMatchObject({ baseUrl: 'http://x:2', apiKey: 'k', source: 'flag' });
    expect(resolveTarget({}, { INTERPLAY_BASE_URL: 'http://h:1', INTERPLAY_API_KEY: 'i' }).apiKey).toBe('i');
    expect(resolveTarget({ revision: 'legacy', 'api-version': 'v1' }, {})).toMatchObject({
      revision: 'legacy',
      apiVersion: 'v1',
    });
  });

  it('run: agents run in the background, deep-research asks for thought summaries', () => {
    const model = parseRunArgs(['what', 'is', '2+2'], {});
    expect(model).toMatchObject({
      prompt: 'what is 2+2',
      model: 'gemini-3-flash-preview',
      background: false,
    });
    expect(runRequest(model)).toEqual({ input: 'what is 2+2', model: 'gemini-3-flash-preview' });
    const agent = parseRunArgs(['Research TPUs', '--agent', 'deep-research-pro-preview-12-2025'], {});
    expect(runRequest(agent)).toEqual({
      input: 'Research TPUs',
      agent: 'deep-research-pro-preview-12-2025',
      agent_config: { type: 'deep-research', thinking_summaries: 'auto' },
      background: true,
    });
    expect(parseRunArgs(['q', '--background', '--model', 'm'], {})).toMatchObject({
      model: 'm',
      background: true,
    });
    expect(parseWatchArgs(['v1_x', '--cancel-on-exit'], {})).toMatchObject({
      id: 'v1_x',
      cancelOnExit: true,
    });
    expect(() => parseWatchArgs([], {})).toThrow(UsageError);
  });

  it('demo: --only and --revision', () => {
    expect(parseDemoArgs([])).toEqual({
      help: false,
      parts: ['tools', 'agent', 'research'],
      revision: 'steps',
    });
    expect(parseDemoArgs(['--only', 'agent', '--revision', 'legacy'])).toMatchObject({
      parts: ['agent'],
      revision: 'legacy',
    });
  });
});

describe('parseServeArgs', () => {
  it('defaults', () => {
    const c = parseServeArgs([], {});
    expect(c.server).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dbPath: '.interplay/interplay.db',
      apiKeys: [],
      defaultRevision: 'steps',
      retentionMs: 55 * 86_400_000,
      provider: 'scripted',
    });
    expect(c.logLevel).toBe('info');
  });

  it('--durability normal (default) or full; anything else is a usage error', () => {
    expect(parseServeArgs([], {}).server.durability).toBe('normal');
    expect(parseServeArgs(['--durability', 'full'], {}).server.durability).toBe('full');
    expect(() => parseServeArgs(['--durability', 'fast'], {})).toThrow(/--durability must be normal or full/);
  });

  it('--db or INTERPLAY_DB: a SQLite file, or a postgres:// URL (the flag wins)', () => {
    const url = 'postgres://app:secret@db.internal:5432/interplay?schema=tenant_a';
    expect(parseServeArgs(['--db', url], {}).server).toMatchObject({ postgresUrl: url });
    expect(parseServeArgs(['--db', url], {}).server).not.toHaveProperty('dbPath');
    expect(parseServeArgs([], { INTERPLAY_DB: url }).server).toMatchObject({ postgresUrl: url });
    expect(parseServeArgs([], { INTERPLAY_DB: 'postgresql://h/db' }).server.postgresUrl).toBe(
      'postgresql://h/db',
    );
    expect(parseServeArgs(['--db', 'x.db'], { INTERPLAY_DB: url }).server).toMatchObject({ dbPath: 'x.db' });
    expect(parseServeArgs([], { INTERPLAY_DB: 'y.db' }).server).toMatchObject({ dbPath: 'y.db' });
    expect(() => parseServeArgs(['--db', url, '--durability', 'full'], {})).toThrow(/SQLite only/);
  });

  it('--lease-seconds (Postgres only) takes a positive integer, beside --max-background', () => {
    const url = 'postgres://app:secret@127.0.0.1:5432/interplay';
    const server = parseServeArgs(['--db', url, '--lease-seconds', '5', '--max-background', '3'], {}).server;
    expect(server).toMatchObject({ postgresUrl: url, leaseMs: 5000, maxBackgroundRuns: 3 });
    expect(parseServeArgs(['--db', url], {}).server).not.toHaveProperty('leaseMs');
    expect(() => parseServeArgs(['--lease-seconds', '5'], {})).toThrow(
      /--lease-seconds applies to Postgres only/,
    );
    expect(() => parseServeArgs(['--db', url, '--lease-seconds', '0'], {})).toThrow(
      /--lease-seconds must be a positive integer, got '0'/,
    );
    expect(() => parseServeArgs(['--db', url, '--max-background', 'many'], {})).toThrow(
      /--max-background must be a positive integer, got 'many'/,
    );
  });

  it('--max-background caps background runs; --webhook-allow-host lets local receivers get deliveries', () => {
    expect(parseServeArgs([], {}).server.maxBackgroundRuns).toBeUndefined();
    const c = parseServeArgs(['--max-background', '2', '--webhook-allow-host', '127.0.0.1'], {});
    expect(c.server.maxBackgroundRuns).toBe(2);
    expect(c.server.webhooks).toEqual({ allowHosts: ['127.0.0.1'] });
    expect(() => parseServeArgs(['--max-background', '0'], {})).toThrow(
      /--max-background must be a positive integer/,
    );
  });

  it('--code-workers and --code-max-queued configure the shared Python sandbox pool', () => {
    expect(parseServeArgs([], {}).server.builtins).not.toHaveProperty('code');
    expect(
      parseServeArgs(['--code-workers', '4', '--code-max-queued', '2'], {}).server.builtins,
    ).toMatchObject({ code: { workers: 4, maxQueuedPerKey: 2 } });
    expect(() => parseServeArgs(['--code-workers', '0'], {})).toThrow(
      /--code-workers must be a positive integer/,
    );
    expect(() => parseServeArgs(['--code-max-queued', 'lots'], {})).toThrow(UsageError);
  });

  it('--turn-timeout sets the turn deadline (default 60 minutes)', () => {
    expect(parseServeArgs([], {}).server.turnTimeoutMs).toBe(3_600_000);
    expect(parseServeArgs(['--turn-timeout', '90s'], {}).server.turnTimeoutMs).toBe(90_000);
  });

  it('reads the corpus pages from memory only offline, with a corpus', () => {
    expect(parseServeArgs([], {}).server.builtins).toMatchObject({ corpusPages: true });
    expect(parseServeArgs(['--config', 'routes.json'], {}).server.builtins).not.toHaveProperty('corpusPages');
  });

  it('gives the offline scripted model the bundled search corpus unless one is named', () => {
    expect(parseServeArgs([], {}).server.builtins).toMatchObject({ searchCorpusPath: DEMO_SEARCH_CORPUS });
    expect(parseServeArgs(['--search-corpus', 'mine.jsonl'], {}).server.builtins).toMatchObject({
      searchCorpusPath: 'mine.jsonl',
    });
  });

  it('flags and INTERPLAY_API_KEYS', () => {
    const c = parseServeArgs(
      [
        '--host',
        '::1',
        '--port',
        '0',
        '--db',
        ':memory:',
        '--api-key',
        'a',
        '--api-key',
        'b',
        '--revision',
        'legacy',
        '--retention',
        '12h',
        '--script',
        'x.json',
        '--grace',
        '250ms',
      ],
      { INTERPLAY_API_KEYS: 'b, c,,' },
    );
    expect(c.server).toMatchObject({
      host: '::1',
      port: 0,
      dbPath: ':memory:',
      apiKeys: ['a', 'b', 'c'],
      defaultRevision: 'legacy',
      retentionMs: 12 * 3_600_000,
      script: 'x.json',
      shutdownGraceMs: 250,
    });
    expect(parseServeArgs(['--revision', '2026-05-20'], {}).server.defaultRevision).toBe('steps');
    expect(
      parseServeArgs(
        ['--allow-host', '127.0.0.1', '--allow-host', 'localhost', '--search-corpus', 'c.jsonl'],
        {},
      ).server.builtins,
    ).toEqual({
      allowHosts: ['127.0.0.1', 'localhost'],
      searchCorpusPath: 'c.jsonl',
      corpusPages: true,
    });
    expect(parseServeArgs(['--no-builtins'], {}).server.builtins).toBe(false);
    expect(parseServeArgs([], {}).server.mcp).toEqual({ allowPrivateNetworks: false });
    expect(parseServeArgs(['--mcp-allow-private'], {}).server.mcp).toEqual({ allowPrivateNetworks: true });
    expect(parseServeArgs(['--no-mcp'], {}).server.mcp).toBe(false);
  });

  it('--provider openai with --provider-url/-model/-key-env; --config FILE', () => {
    const c = parseServeArgs(
      [
        '--provider',
        'openai',
        '--provider-url',
        'http://127.0.0.1:11434/v1',
        '--provider-model',
        'qwen3:8b',
        '--provider-key-env',
        'OLLAMA_KEY',
      ],
      {},
    );
    expect(c.server).toMatchObject({
      provider: 'openai',
      providerOptions: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:8b', apiKeyEnv: 'OLLAMA_KEY' },
    });
    // A real model gets no bundled demo corpus.
    expect(c.server.builtins).toEqual({});
    expect(parseServeArgs(['--provider', 'gemini'], {}).server).toMatchObject({ provider: 'gemini' });
    expect(parseServeArgs(['--provider', 'gemini'], {}).server).not.toHaveProperty('providerOptions');
    expect(
      parseServeArgs(['--provider', 'anthropic', '--provider-key-env', 'CLAUDE_KEY'], {}).server,
    ).toMatchObject({ provider: 'anthropic', providerOptions: { apiKeyEnv: 'CLAUDE_KEY' } });
    expect(parseServeArgs(['--config', 'routes.json'], {}).server).toMatchObject({ routing: 'routes.json' });
    expect(parseServeArgs(['--config', 'routes.json'], {}).server).not.toHaveProperty('providerOptions');
  });

  it('rejects bad provider flags, naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--provider', 'openai'], /--provider openai needs --provider-url/],
      [
        ['--provider', 'openai', '--provider-url', 'localhost:11434'],
        /--provider-url must be an http\(s\) URL/,
      ],
      [['--provider-url', 'http://x/v1'], /need --provider openai/],
      [
        ['--provider', 'openai', '--provider-url', 'http://x/v1', '--provider-key-env', 'A-B'],
        /--provider-key-env/,
      ],
      [['--config', 'r.json', '--provider', 'openai'], /--config names the providers itself/],
    ];
    for (const [args, message] of cases) expect(() => parseServeArgs(args, {})).toThrow(message);
  });

  it('rejects bad values', () => {
    for (const args of [
      ['--port', '70000'],
      ['--retention', 'soon'],
      ['--revision', 'newest'],
      ['--log-level', 'loud'],
      ['--provider', 'gemini', '--script', 'x.json'],
      ['extra'],
    ]) {
      expect(() => parseServeArgs(args, {})).toThrow(UsageError);
    }
  });
});
