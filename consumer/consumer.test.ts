/**
 * The consumer check: Interplay as someone else's project gets it. `pnpm build`, then
 * `pnpm -r --filter ./packages/* pack --pack-destination <temp>`, then plain `npm install` of the tarballs into projects in a temp
 * folder outside the repository (npm's registry for everything else), and there:
 * - the README's "Use it in your project" install lines and `hello.mjs`, run against `npx interplay serve`;
 * - app.mjs: `tool`, `Runner`, the client and the testing kit, with `code_execution` (Pyodide from `dist`);
 * - typed.ts under a strict tsconfig with `skipLibCheck: false`;
 * - the official `@google/genai` SDK against `npx interplay serve`, and its inspector page;
 * - a vitest test of the project's own, using the testing kit;
 * - a second project on zod 3.
 * The projects' files are in consumer/project and consumer/zod3. With INTERPLAY_TARBALLS=DIR (`pnpm
 * release:dry`) the tarballs already packed in DIR are used instead of building and packing here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Command, cleanEnv, run, runOk } from './commands.ts';
import { readmeUsage } from './readme.ts';
import { listTarball, readTarballManifest } from './tarball.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const rootManifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const serverManifest = JSON.parse(readFileSync(path.join(ROOT, 'packages/server/package.json'), 'utf8'));
/** The published packages, by name, and their tarball file names (`@interplay/core` → `interplay-core-0.1.0.tgz`). */
const PACKAGES = readdirSync(path.join(ROOT, 'packages')).map((dir) => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
  const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
  return { name: manifest.name as string, dir, file };
});
/** The user's tools, at the versions this repository develops with. */
const TOOLS = {
  typescript: rootManifest.devDependencies.typescript as string,
  vitest: rootManifest.devDependencies.vitest as string,
  genai: serverManifest.devDependencies['@google/genai'] as string,
};

let work: string;
let tarballs: string;
let served: { child: ChildProcess; url: string } | undefined;
const env = cleanEnv(ROOT);
const app = () => path.join(work, 'app');

/** A project's package.json: every `@interplay/*` package, wherever it is asked for, comes from its tarball. */
function projectManifest(name: string, extra: object): string {
  const overrides = Object.fromEntries(PACKAGES.map((p) => [p.name, `file:../tarballs/${p.file}`]));
  return `${JSON.stringify({ name, private: true, type: 'module', overrides, ...extra }, null, 2)}\n`;
}

/** An `npm install …` line with each `@interplay/*` name replaced by its tarball. */
function fromTarballs(line: string): Command {
  const [npm, ...args] = line.trim().split(/\s+/);
  const mapped = args.map((arg) => {
    const pkg = PACKAGES.find((p) => p.name === arg);
    return pkg ? `../tarballs/${pkg.file}` : arg;
  });
  return { command: npm as string, args: [...mapped, '--no-audit', '--no-fund'] };
}

function startServe(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('npx', ['interplay', 'serve', '--port', '0', '--log-level', 'warn'], {
    cwd,
    env,
    detached: true, // its own process group: npx's child goes with it at the end
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /Interplay listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`interplay serve exited ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'interplay-consumer-'));
  tarballs = path.join(work, 'tarballs');
  const packed = process.env.INTERPLAY_TARBALLS;
  if (packed) {
    cpSync(path.resolve(ROOT, packed), tarballs, { recursive: true });
  } else {
    const pnpm = process.env.npm_execpath?.includes('pnpm')
      ? { command: process.execPath, pre: [process.env.npm_execpath] }
      : { command: 'pnpm', pre: [] };
    await runOk({ command: pnpm.command, args: [...pnpm.pre, 'build'] }, ROOT, process.env);
    await runOk(
      {
        command: pnpm.command,
        args: [...pnpm.pre, '-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs],
      },
      ROOT,
      process.env,
    );
  }

  mkdirSync(app());
  for (const f of readdirSync(path.join(ROOT, 'consumer/project')))
    cpSync(path.join(ROOT, 'consumer/project', f), path.join(app(), f));
  const others = PACKAGES.filter((p) => !['@interplay/core', '@interplay/cli'].includes(p.name));
  writeFileSync(
    path.join(app(), 'package.json'),
    projectManifest('consumer-app', {
      dependencies: {
        ...Object.fromEntries(others.map((p) => [p.name, `file:../tarballs/${p.file}`])),
        '@google/genai': TOOLS.genai,
      },
      devDependencies: { typescript: TOOLS.typescript, vitest: TOOLS.vitest },
    }),
  );
  // Exactly the README's install lines, with our packages from the tarballs.
  for (const line of readmeUsage(ROOT).installLines) await runOk(fromTarballs(line), app(), env);
  served = await startServe(app());
}, 900_000);

afterAll(async () => {
  const child = served?.child;
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 120_000);

/** npm, tsc and Pyodide on a machine shared with the rest of the suite: minutes, not the default 30 s. */
const SLOW = { timeout: 300_000 };

describe('the packed tarballs', () => {
  it.each(PACKAGES.map((p) => [p.name, p] as const))(
    '%s: dist, README, LICENSE; no sources, no tests',
    async (_n, p) => {
      const entries = await listTarball(path.join(tarballs, p.file));
      const allowed =
        /^package\/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+\.(js|d\.ts|js\.map)|assets\/.+|bin\/.+\.js)$/;
      expect(entries.filter((e) => !allowed.test(e))).toEqual([]);
      expect(entries).toEqual(
        expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/dist/index.js']),
      );
      expect(entries.filter((e) => /\/test\/|\.test\.|\.ts$/.test(e) && !e.endsWith('.d.ts'))).toEqual([]);

      const manifest = await readTarballManifest(path.join(tarballs, p.file));
      expect(JSON.stringify(manifest)).not.toMatch(/workspace:|\.\/src\//);
      expect(manifest).toMatchObject({ license: 'MIT', type: 'module', engines: { node: '>=22.13' } });
      expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${p.dir}` });
      expect(manifest).toHaveProperty('sideEffects');
      for (const [subpath, target] of Object.entries(
        manifest.exports as Record<string, Record<string, string>>,
      )) {
        expect(Object.keys(target), subpath).toEqual(['types', 'import']);
        expect(entries, subpath).toEqual(
          expect.arrayContaining([`package/${target.types?.slice(2)}`, `package/${target.import?.slice(2)}`]),
        );
      }
    },
  );
});

describe('a project that installs them with npm', SLOW, () => {
  it("runs the README's hello.mjs against `npx interplay serve`", async () => {
    writeFileSync(path.join(app(), 'hello.mjs'), readmeUsage(ROOT).hello);
    const out = await runOk({ command: 'node', args: ['hello.mjs'] }, app(), {
      ...env,
      INTERPLAY_BASE_URL: served?.url,
    });
    expect(out.trim()).toBe('Here is what I found: {"location":"Paris","forecast":"sunny","celsius":21}');
  });

  it('hello.mjs without INTERPLAY_BASE_URL or GEMINI_API_KEY says which to set', async () => {
    writeFileSync(path.join(app(), 'hello.mjs'), readmeUsage(ROOT).hello);
    const r = await run({ command: 'node', args: ['hello.mjs'] }, app(), env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/set INTERPLAY_BASE_URL .* or GEMINI_API_KEY/);
  });

  it('app.mjs: a typed zod tool and code_execution (Pyodide from dist) on the testing kit', async () => {
    const out = await runOk({ command: 'node', args: ['app.mjs'] }, app(), env);
    expect(JSON.parse(out)).toEqual({
      text: 'It is 69.8 °F.',
      finishReason: 'completed',
      types: ['function_call', 'code_execution_call', 'code_execution_result', 'model_output'],
    });
  });

  it('typed.ts type-checks: strict, exactOptionalPropertyTypes, NodeNext, skipLibCheck false', async () => {
    const r = await run({ command: 'npx', args: ['tsc', '-p', 'tsconfig.json'] }, app(), env);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the official @google/genai SDK talks to `npx interplay serve`', async () => {
    const out = await runOk({ command: 'node', args: ['genai.mjs'] }, app(), {
      ...env,
      INTERPLAY_BASE_URL: served?.url,
    });
    expect(JSON.parse(out)).toEqual({ status: 'completed', text: 'Your name is Phil.' });
  });

  it('the installed server serves the inspector, its files and libraries from the packages', async () => {
    for (const [file, type] of [
      ['', 'text/html'],
      ['app.js', 'text/javascript'],
      ['style.css', 'text/css'],
      ['vendor/marked.js', 'text/javascript'],
      ['vendor/purify.js', 'text/javascript'],
    ]) {
      const res = await fetch(`${served?.url}/inspector/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(type as string);
      expect((await res.text()).length, file).toBeGreaterThan(100);
    }
  });

  it("the project's own vitest test uses the testing kit", async () => {
    const out = stripVTControlCharacters(
      await runOk({ command: 'npx', args: ['vitest', 'run', '--reporter', 'verbose'] }, app(), env),
    );
    expect(out).toMatch(/✓ agent\.spec\.ts > answers from the tool result/);
    expect(out).toMatch(/Tests\s+1 passed/);
  });
});

describe('a project on zod 3', SLOW, () => {
  it('runs a v3 tool and a v3 structured output, and type-checks their types', async () => {
    const dir = path.join(work, 'zod3');
    mkdirSync(dir);
    for (const f of readdirSync(path.join(ROOT, 'consumer/zod3')))
      cpSync(path.join(ROOT, 'consumer/zod3', f), path.join(dir, f));
    writeFileSync(path.join(dir, 'package.json'), projectManifest('consumer-zod3', {}));
    await runOk(fromTarballs('npm install @interplay/core zod@3'), dir, env);
    expect(JSON.parse(readFileSync(path.join(dir, 'node_modules/zod/package.json'), 'utf8')).version).toMatch(
      /^3\./,
    );

    const out = await runOk({ command: 'node', args: ['agent.mjs'] }, dir, {
      ...env,
      INTERPLAY_BASE_URL: served?.url,
    });
    expect(JSON.parse(out)).toEqual({
      weather: 'Here is what I found: {"location":"Paris","celsius":21}',
      output: { name: expect.any(String), population: expect.any(Number) },
    });
    // The app project's TypeScript, on this project's files and node_modules.
    const tsc = path.join(app(), 'node_modules/typescript/bin/tsc');
    const r = await run({ command: 'node', args: [tsc, '-p', 'tsconfig.json'] }, dir, env);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
