/** The command dispatcher and `serve` flag parsing. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, UsageError } from '../src/serve-options.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'packages/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('interplay', () => {
  it('demo prints a short line and exits 0', () => {
    const r = run('demo');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/not yet available/);
  });

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

  it('refuses an open non-loopback bind with a clear message (exit 1)', () => {
    const r = run('serve', '--host', '0.0.0.0', '--port', '0', '--db', ':memory:', '--log-level', 'silent');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without API keys/);
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
    });
    expect(parseServeArgs(['--no-builtins'], {}).server.builtins).toBe(false);
    expect(parseServeArgs([], {}).server.mcp).toEqual({ allowPrivateNetworks: false });
    expect(parseServeArgs(['--mcp-allow-private'], {}).server.mcp).toEqual({ allowPrivateNetworks: true });
    expect(parseServeArgs(['--no-mcp'], {}).server.mcp).toBe(false);
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
