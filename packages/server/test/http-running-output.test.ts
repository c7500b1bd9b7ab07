/**
 * A running interaction's output as the built-in engine streams it: a GET while it runs shows what was streamed
 * so far, and a cancel keeps exactly what was streamed (the stored output matches the stored deltas). The
 * runtime reads that output from the engine's step writer (`TurnSink.shareOutput`), not from a second copy
 * rebuilt from the events.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { call, closeAll, events, manyWords, startServer, textScript } from './helpers/server.ts';

afterAll(closeAll);

const ANSWER = manyWords(2_000);

/** Reads a live SSE stream until `count` text deltas came; returns their text. The stream is left open. */
async function firstDeltas(url: string, count: number): Promise<string> {
  const res = await fetch(url);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let text = '';
  let seen = 0;
  while (seen < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended early');
    buffered += decoder.decode(value, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end >= 0 && seen < count) {
      const data = /\ndata: (.*)$/s.exec(buffered.slice(0, end))?.[1];
      buffered = buffered.slice(end + 2);
      const event = data ? JSON.parse(data) : undefined;
      if (event?.event_type === 'step.delta') {
        text += event.delta.text;
        seen++;
      }
      end = buffered.indexOf('\n\n');
    }
  }
  void reader.cancel();
  return text;
}

describe('the output of a running interaction', () => {
  it('GET while it streams shows the text streamed so far; cancel keeps exactly what was streamed', async () => {
    const t = await startServer({ script: textScript(ANSWER, 2) });
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { model: 'm', input: 'Hi', background: true },
    });
    const id = post.json.id;
    const streamed = await firstDeltas(`${t.url}/v1beta/interactions/${id}?stream=true`, 20);

    const running = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(running.json.status).toBe('in_progress');
    const soFar: string = running.json.steps.at(-1).content[0].text;
    // At least what this reader saw (the run may have gone on since), and a prefix of the answer.
    expect(soFar.startsWith(streamed)).toBe(true);
    expect(ANSWER.startsWith(soFar)).toBe(true);

    const cancel = await call(`${t.url}/v1beta/interactions/${id}/cancel`, { method: 'POST' });
    expect(cancel.json.status).toBe('cancelled');
    const kept: string = cancel.json.steps.at(-1).content[0].text;
    expect(kept.startsWith(soFar)).toBe(true);
    expect(kept.length).toBeLessThan(ANSWER.length);

    // What is stored is what was streamed: the stored output is the stored deltas joined, nothing after them.
    const replay = events((await call(`${t.url}/v1beta/interactions/${id}?stream=true`)).text);
    const deltas = replay.filter((e) => e.event_type === 'step.delta').map((e) => e.delta.text);
    expect(deltas.join('')).toBe(kept);
    const stored = await call(`${t.url}/v1beta/interactions/${id}`);
    expect(stored.json.status).toBe('cancelled');
    expect(stored.json.steps.at(-1).content[0].text).toBe(kept);
  });
});
