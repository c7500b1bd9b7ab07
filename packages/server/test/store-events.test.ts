/** What only the SQLite store must survive: two processes appending to one file at once. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { runningRecord } from './helpers/records.ts';

const stores: SqliteStore[] = [];
const dirs: string[] = [];

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-events-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

function open(path = tempPath()): SqliteStore {
  const store = SqliteStore.open({ path });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = runningRecord;

describe('SQLite event log', () => {
  it('two processes appending to the same file at once keep a gapless, duplicate-free log', async () => {
    const path = tempPath();
    const store = open(path);
    await store.createInteraction(record('v1_shared'));

    const module = pathToFileURL(join(import.meta.dirname, '../src/store/sqlite-store.ts')).href;
    const script = `
      const [module, path, tag] = process.argv.slice(1);
      const { SqliteStore } = await import(module);
      const store = SqliteStore.open({ path });
      // Both writers start together (when told to), so their transactions really contend for the lock.
      process.stdout.write('ready\\n');
      await new Promise((r) => process.stdin.once('data', r));
      process.stdin.pause();
      for (let b = 0; b < 200; b++) {
        const events = Array.from({ length: 10 }, (_, i) => ({
          event: { event_type: 'step.delta', index: 0, delta: { type: 'text', text: tag + '-' + (b * 10 + i) } },
        }));
        await store.appendEvents('v1_shared', events);
      }
      await store.close();
    `;
    const start = (tag: string) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, module, path, tag], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) =>
          reject(new Error(`${tag} exited ${code} before it was ready: ${stderr}`)),
        );
      });
      const done = new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`${tag} exited ${code}: ${stderr}`)),
        );
      });
      done.catch(() => {}); // awaited below; a failure before then is reported by \`ready\`
      return { child, ready, done };
    };
    const writers = [start('p'), start('q')];
    await Promise.all(writers.map((w) => w.ready));
    for (const { child } of writers) child.stdin.end('go\n');
    await Promise.all(writers.map((w) => w.done));

    const events = await store.listEvents('v1_shared');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 4_000 }, (_, i) => i + 1));
    for (const tag of ['p', 'q']) {
      // Each writer's events are all there, in the order it wrote them.
      const mine = events
        .map((e) => String((e.event.delta as { text: string }).text))
        .filter((text) => text.startsWith(`${tag}-`))
        .map((text) => Number(text.slice(2)));
      expect(mine).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    }
  });
});
