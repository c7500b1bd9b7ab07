/**
 * What a provider's upstream reader leaves to the garbage collector: an ended answer's objects die young.
 * Whatever keeps them alive through two minor GCs is copied twice and promoted to the old generation, where
 * it stays until the next full GC; on a busy gateway that was most of what every request cost the GC.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PushStream } from '../src/providers/shared/push-stream.ts';
import { upstreamDataInto } from '../src/providers/shared/upstream-sse.ts';

const oldSpaceUsed = (): number =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;

describe('upstreamDataInto', () => {
  it('reads the data of each item into take, skips [DONE], and fails on a malformed line', () => {
    const events = new PushStream<unknown>(new AbortController().signal);
    const taken: unknown[] = [];
    const reader = upstreamDataInto(events, 'openai', 'a chunk', (data) => taken.push(data));
    expect(reader.open).toBe(true);
    reader.push({ kind: 'event', data: { a: 1 } });
    reader.push({ kind: 'done' });
    expect(taken).toEqual([{ a: 1 }]);
    expect(() => reader.push({ kind: 'malformed', raw: 'data: {', reason: 'not JSON' })).toThrow(
      "The model provider 'openai' sent a stream line that is not a chunk (not JSON).",
    );
    let stopped = false;
    reader.onStop(() => {
      stopped = true;
    });
    void events.return();
    expect(reader.open).toBe(false);
    expect(stopped).toBe(true);
  });

  it('lets an ended answer die young: two minor GCs promote none of what its reader held', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;
    gc();
    const before = oldSpaceUsed();
    // 2,000 answers of ~4 KB each, every one reachable only from its (dropped) reader.
    for (let i = 0; i < 2000; i++) {
      const answer = { text: String(i).padStart(4000, 'x') };
      const events = new PushStream<unknown>(new AbortController().signal);
      const reader = upstreamDataInto(events, 'openai', 'a chunk', () => {
        answer.text += '.';
      });
      reader.push({ kind: 'event', data: {} });
      expect(reader.open).toBe(true);
    }
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    // The reader as an object literal with its own `get open()`: the old space grew by ~3 MB here, each
    // literal's getter (and the answer it closed over) kept alive through both scavenges; as a class, ~0.1 MB.
    expect(oldSpaceUsed() - before).toBeLessThan(1024 * 1024);
  });
});
