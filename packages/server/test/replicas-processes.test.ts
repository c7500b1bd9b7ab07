/**
 * Three `interplay serve` processes on one Postgres database (each in a schema of its own per test file):
 * any replica answers for an interaction running on another — its stream follows it live and resumes by
 * `last_event_id`, a cancel asked anywhere stops it — and a background run whose replica is killed (kill -9)
 * is taken over by another once its lease lapses, going on from its last stored step, and the webhook of
 * that run is sent by the replica that finished it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Replica, startReplica } from '../../../scripts/replicas.ts';
import { dropSchemas, newSchemaName, requirePostgres, schemaUrl } from './helpers/postgres.ts';
import { call, manyWords } from './helpers/server.ts';
import { signatureHeaders, startReceiver } from './helpers/webhook-receiver.ts';

const MODEL = 'gemini-3-flash-preview';
const LONG = manyWords(300);
/** A search (a server-run step), then a long answer streamed word by word; a short one for chained turns. */
const SCRIPT = {
  delay_ms: 10,
  rules: [
    {
      when: { input: 'research', last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['tides'] } }],
    },
    { when: { input: '^(first|second|third|fourth|fifth)$' }, respond: [{ type: 'text', text: 'Noted.' }] },
    { respond: [{ type: 'text', text: LONG }] },
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: wire events as parsed JSON
type WireEvent = any;

/** An SSE stream read as it arrives: each event as soon as its frame is complete. */
async function* sse(url: string, signal?: AbortSignal, create?: object): AsyncGenerator<WireEvent> {
  const res = await fetch(url, {
    ...(signal ? { signal } : {}),
    ...(create && {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...create, stream: true }),
    }),
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  if (!res.body) throw new Error('the stream has no body');
  const reader = res.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffer += decoder.decode(chunk.value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (frame.startsWith(':') || data === undefined || data === '[DONE]') continue;
      yield JSON.parse(data);
    }
  }
}

/** Reads `stream` until `stop` holds for an event (returning the events so far), or to its end. */
async function readUntil(
  stream: AsyncGenerator<WireEvent>,
  stop: (e: WireEvent) => boolean = () => false,
): Promise<WireEvent[]> {
  const seen: WireEvent[] = [];
  // Not `for await`: leaving it would close the stream, which the caller reads on afterwards.
  for (let next = await stream.next(); !next.done; next = await stream.next()) {
    seen.push(next.value);
    if (stop(next.value)) break;
  }
  return seen;
}

const seqOf = (e: WireEvent): number => Number(/(\d+)$/.exec(e.event_id as string)?.[1]);

/** Event ids strictly increasing, none repeated, none skipped. */
function expectGapless(events: WireEvent[], from = 1): void {
  expect(events.map(seqOf)).toEqual(events.map((_, i) => from + i));
}

/** A whole log: gapless from the first event, ending with `interaction.completed` for an interaction like `ended`. */
function expectWholeLog(events: WireEvent[], ended: Record<string, unknown>): void {
  expectGapless(events);
  expect(events.at(-1)).toMatchObject({ event_type: 'interaction.completed', interaction: ended });
}

const textOf = (events: WireEvent[]): string =>
  events
    .filter((e) => e.event_type === 'step.delta' && e.delta.type === 'text')
    .map((e) => e.delta.text)
    .join('');

let dir: string;
let db: string;
const schemas: string[] = [];
const replicas: Replica[] = [];

async function replica(...args: string[]): Promise<Replica> {
  const r = await startReplica(db, ['--script', join(dir, 'script.json'), '--log-level', 'warn', ...args]);
  replicas.push(r);
  return r;
}

beforeAll(async () => {
  await requirePostgres();
  dir = mkdtempSync(join(tmpdir(), 'interplay-replicas-'));
  writeFileSync(join(dir, 'script.json'), JSON.stringify(SCRIPT));
  const schema = newSchemaName();
  schemas.push(schema);
  db = schemaUrl(schema);
});

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill();
  await Promise.all(replicas.map((r) => r.exited));
  await dropSchemas(schemas);
  rmSync(dir, { recursive: true, force: true });
});

async function createBackground(on: Replica, input: string): Promise<string> {
  const created = await call(`${on.url}/v1beta/interactions`, {
    body: { model: MODEL, input, background: true, tools: [{ type: 'google_search' }] },
  });
  expect(created.status).toBe(200);
  expect(created.json.status).toBe('in_progress');
  return created.json.id as string;
}

describe('three replicas on one database', () => {
  let a: Replica;
  let b: Replica;
  let c: Replica;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([replica(), replica(), replica()]);
  });

  it('a background run on A is streamed live from B and cancelled from C', async () => {
    const id = await createBackground(a, 'tell me a long story');
    const stream = sse(`${b.url}/v1beta/interactions/${id}?stream=true`);
    // Text arriving on B while A is still writing it: B follows A's run live.
    const before = await readUntil(stream, (e) => e.event_type === 'step.delta' && e.delta.type === 'text');
    expect((await call(`${c.url}/v1beta/interactions/${id}`)).json.status).toBe('in_progress');

    const cancelled = await call(`${c.url}/v1beta/interactions/${id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');

    const after = await readUntil(stream);
    const all = [...before, ...after];
    expectWholeLog(all, { id, status: 'cancelled' });
    // Cancelled before the answer was complete: A stopped writing it.
    expect(textOf(all).length).toBeLessThan(LONG.length);
    for (const r of [a, b, c])
      expect((await call(`${r.url}/v1beta/interactions/${id}`)).json.status).toBe('cancelled');
  });

  it('a stream left on B resumes on C by last_event_id with nothing lost or repeated', async () => {
    const id = await createBackground(a, 'tell me another story');
    const stop = new AbortController();
    const first = await readUntil(
      sse(`${b.url}/v1beta/interactions/${id}?stream=true`, stop.signal),
      (e) => e.event_type === 'step.delta' && e.delta.type === 'text' && e.delta.text.includes('word20 '),
    );
    stop.abort();
    const last = first.at(-1).event_id as string;
    const rest = await readUntil(sse(`${c.url}/v1beta/interactions/${id}?stream=true&last_event_id=${last}`));
    const all = [...first, ...rest];
    expectWholeLog(all, { status: 'completed' });
    expect(textOf(all)).toBe(LONG);
    // The whole log as stored, read from the third replica, is what the two streams saw together.
    const replay = await readUntil(sse(`${a.url}/v1beta/interactions/${id}?stream=true`));
    expect(replay).toEqual(all);
  });

  it('a background run on A deleted on C while it runs: its stream on B ends, every replica answers 404', async () => {
    const id = await createBackground(a, 'tell me a long story');
    const stream = sse(`${b.url}/v1beta/interactions/${id}?stream=true`);
    await readUntil(stream, (e) => e.event_type === 'step.delta' && e.delta.type === 'text');
    const got = await call(`${c.url}/v1beta/interactions/${id}`);
    // C reads the output A has written so far.
    expect(got.json.status).toBe('in_progress');
    expect(got.json.steps.map((s: { type: string }) => s.type)).toContain('model_output');

    expect((await call(`${c.url}/v1beta/interactions/${id}`, { method: 'DELETE' })).status).toBe(200);
    const rest = await readUntil(stream);
    expect(rest.some((e) => e.event_type === 'interaction.completed')).toBe(false);
    for (const r of [a, b, c]) expect((await call(`${r.url}/v1beta/interactions/${id}`)).status).toBe(404);
  });

  it('past its cap a replica queues a background run, and a replica with a free slot runs it', async () => {
    const capped = await replica('--max-background', '1');
    const first = await createBackground(capped, 'tell me a long story');
    const queued = await call(`${capped.url}/v1beta/interactions`, {
      body: { model: MODEL, input: 'first', background: true },
    });
    expect(queued.status).toBe(200);
    expect(queued.json.status).toBe('queued');
    const log = await readUntil(sse(`${a.url}/v1beta/interactions/${queued.json.id}?stream=true`));
    expectGapless(log);
    const statuses = log.filter((e) => e.event_type === 'interaction.status_update').map((e) => e.status);
    expect(statuses).toEqual(['queued', 'in_progress', 'completed']);
    expect(textOf(log)).toBe('Noted.');
    await call(`${b.url}/v1beta/interactions/${first}/cancel`, { method: 'POST' });
  });

  it('a custom agent created on A is run by name on B, listed on C, and gone everywhere once deleted', async () => {
    const created = await call(`${a.url}/v1beta/agents`, {
      body: { id: 'note-bot', base_agent: MODEL, system_instruction: 'Answer briefly.' },
    });
    expect(created.status).toBe(200);
    const run = await call(`${b.url}/v1beta/interactions`, { body: { agent: 'note-bot', input: 'first' } });
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ status: 'completed', agent: 'note-bot' });
    const listed = await call(`${c.url}/v1beta/agents`);
    expect(listed.json.agents.map((x: { id: string }) => x.id)).toEqual(['note-bot']);
    expect((await call(`${b.url}/v1beta/agents/note-bot`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`${a.url}/v1beta/agents/note-bot`)).status).toBe(404);
  });

  it('a turn continued on B by previous_interaction_id sees the chain written on A and C', async () => {
    const one = await call(`${a.url}/v1beta/interactions`, { body: { model: MODEL, input: 'first' } });
    const two = await call(`${c.url}/v1beta/interactions`, {
      body: { model: MODEL, input: 'second', previous_interaction_id: one.json.id },
    });
    expect(two.json.status).toBe('completed');
    const three = await call(`${b.url}/v1beta/interactions`, {
      body: { model: MODEL, input: 'third', previous_interaction_id: two.json.id },
    });
    const four = await call(`${b.url}/v1beta/interactions`, {
      body: { model: MODEL, input: 'fourth', previous_interaction_id: three.json.id },
    });
    expect(four.json.usage.total_input_tokens).toBeGreaterThan(three.json.usage.total_input_tokens);
    // B has just read this chain; deleted on A, B no longer continues from it.
    expect((await call(`${a.url}/v1beta/interactions/${three.json.id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const five = await call(`${b.url}/v1beta/interactions`, {
      body: { model: MODEL, input: 'fifth', previous_interaction_id: three.json.id },
    });
    expect(five.status).toBe(404);
  });
});

describe('kill -9 of the replica running a run', () => {
  it('another replica takes it over within the lease and resumes it from its last stored step', async () => {
    const [a, b] = await Promise.all([replica('--lease-seconds', '2'), replica('--lease-seconds', '2')]);
    const id = await createBackground(a, 'research the tides');
    const stream = sse(`${b.url}/v1beta/interactions/${id}?stream=true`);
    // The search step is stored and the answer has begun on A.
    const before = await readUntil(
      stream,
      (e) => e.event_type === 'step.delta' && e.delta.type === 'text' && e.delta.text.includes('word10 '),
    );
    expect(before.some((e) => e.event_type === 'step.start' && e.step.type === 'google_search_result')).toBe(
      true,
    );
    a.child.kill('SIGKILL');
    await a.exited;

    const after = await readUntil(stream);
    const all = [...before, ...after];
    expectWholeLog(all, { status: 'completed' });

    const final = await call(`${b.url}/v1beta/interactions/${id}`);
    expect(final.json.status).toBe('completed');
    const types = (final.json.steps as { type: string }[]).map((s) => s.type);
    // The search ran once (A stored its result); the interrupted answer was asked again, in full.
    expect(types).toEqual(['user_input', 'google_search_call', 'google_search_result', 'model_output']);
    expect(final.json.steps.at(-1).content[0].text).toBe(LONG);
  }, 60_000);

  it('a foreground run of a killed replica is failed by another with a clear error, never left in_progress', async () => {
    const [a, b] = await Promise.all([replica('--lease-seconds', '2'), replica('--lease-seconds', '2')]);
    const own = sse(`${a.url}/v1beta/interactions`, undefined, { model: MODEL, input: 'tell me a story' });
    const seen = await readUntil(own, (e) => e.event_type === 'step.delta' && e.delta.type === 'text');
    const id = seen[0].interaction.id as string;
    a.child.kill('SIGKILL');
    await a.exited;

    const log = await readUntil(sse(`${b.url}/v1beta/interactions/${id}?stream=true`));
    expect(log.at(-1)).toMatchObject({
      event_type: 'interaction.completed',
      interaction: { status: 'failed' },
    });
    const final = await call(`${b.url}/v1beta/interactions/${id}`);
    expect(final.json.status).toBe('failed');
    // Its stored log says why.
    expect(log.find((e) => e.event_type === 'error')?.error.message).toMatch(
      /replica running this interaction stopped before it finished/,
    );
  }, 60_000);

  it('a replica shut down (SIGTERM) hands its background run over; another finishes it', async () => {
    const [a, b] = await Promise.all([replica('--grace', '100ms'), replica('--grace', '100ms')]);
    const id = await createBackground(a, 'tell me a long story');
    const stream = sse(`${b.url}/v1beta/interactions/${id}?stream=true`);
    const before = await readUntil(stream, (e) => e.event_type === 'step.delta' && e.delta.type === 'text');
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);

    const all = [...before, ...(await readUntil(stream))];
    expectWholeLog(all, { status: 'completed' });
    const final = await call(`${b.url}/v1beta/interactions/${id}`);
    expect(final.json.status).toBe('completed');
    expect(final.json.steps.at(-1).content[0].text).toBe(LONG);
  }, 60_000);
});

describe('webhooks across replicas', () => {
  it('a webhook registered on B fires, signed, for a run A started and B finished after A was killed', async () => {
    // A schema of its own: the replicas of the other tests (no allowed receiver host) must not send from it.
    const schema = newSchemaName();
    schemas.push(schema);
    const args = ['--script', join(dir, 'script.json'), '--log-level', 'warn', '--lease-seconds', '2'];
    const allow = ['--webhook-allow-host', '127.0.0.1'];
    const [a, b] = await Promise.all([
      startReplica(schemaUrl(schema), [...args, ...allow]),
      startReplica(schemaUrl(schema), [...args, ...allow]),
    ]);
    replicas.push(a, b);
    const receiver = await startReceiver();
    try {
      const registered = await call(`${b.url}/v1beta/webhooks`, {
        body: { uri: `${receiver.url}/hook`, subscribed_events: ['interaction.completed'] },
      });
      expect(registered.status).toBe(200);
      const id = await createBackground(a, 'research the tides');
      const stream = sse(`${b.url}/v1beta/interactions/${id}?stream=true`);
      await readUntil(stream, (e) => e.event_type === 'step.delta' && e.delta.type === 'text');
      a.child.kill('SIGKILL');
      await a.exited;

      const got = await receiver.next();
      expect(got.path).toBe('/hook');
      const event = new Webhook(registered.json.new_signing_secret).verify(got.body, signatureHeaders(got));
      expect(event).toMatchObject({ type: 'interaction.completed', data: { id, status: 'completed' } });
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
