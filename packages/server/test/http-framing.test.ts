/**
 * Byte-exact responses of both revisions for one scripted answer ("Hello there, friend." to "Hi"), JSON and
 * SSE. Only the random id and the clock are normalized (to ID and TS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  closeAll,
  events,
  startServer,
  type TestServer,
  textScript,
  waitFor,
} from './helpers/server.ts';

let t: TestServer;
const STEPS = { 'api-revision': '2026-05-20' };
const LEGACY = { 'api-revision': '2026-05-07' };
const BODY = { model: 'gemini-3-flash-preview', input: 'Hi' };

beforeAll(async () => {
  t = await startServer({ script: textScript('Hello there, friend.') });
});
afterAll(closeAll);

function normalize(text: string): string {
  return text.replace(/v1_[A-Za-z0-9_-]{24}/g, 'ID').replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/g, '"TS"');
}

const USAGE = '{"total_input_tokens":1,"total_output_tokens":3,"total_tokens":4,"total_thought_tokens":0}';
const ANSWER = '{"type":"text","text":"Hello there, friend."}';
const HEAD =
  '"id":"ID","object":"interaction","status":"completed","model":"gemini-3-flash-preview","created":"TS","updated":"TS"';

describe('JSON', () => {
  it('steps: POST has output steps only; GET starts with the user_input step', async () => {
    const post = await call(`${t.url}/v1beta/interactions`, { body: BODY, headers: STEPS });
    expect(post.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(normalize(post.text)).toBe(
      `{${HEAD},"steps":[{"type":"model_output","content":[${ANSWER}]}],"usage":${USAGE}}`,
    );
    const get = await call(`${t.url}/v1beta/interactions/${post.json.id}`, { headers: STEPS });
    expect(normalize(get.text)).toBe(
      `{${HEAD},"steps":[{"type":"user_input","content":[{"type":"text","text":"Hi"}]},` +
        `{"type":"model_output","content":[${ANSWER}]}],"usage":${USAGE}}`,
    );
  });

  it('legacy: outputs and role; GET adds input only with include_input=true', async () => {
    const post = await call(`${t.url}/v1beta/interactions`, { body: BODY, headers: LEGACY });
    const expected = `{${HEAD},"role":"model","outputs":[${ANSWER}],"usage":${USAGE}}`;
    expect(normalize(post.text)).toBe(expected);
    const get = await call(`${t.url}/v1beta/interactions/${post.json.id}`, { headers: LEGACY });
    expect(normalize(get.text)).toBe(expected);
    const withInput = await call(`${t.url}/v1beta/interactions/${post.json.id}?include_input=true`, {
      headers: LEGACY,
    });
    expect(withInput.json.input).toEqual([{ type: 'text', text: 'Hi' }]);
  });
});

const STEPS_STREAM = [
  'event: interaction.created\ndata: {"event_type":"interaction.created","interaction":{"id":"ID","status":"in_progress","object":"interaction","model":"gemini-3-flash-preview","created":"TS","updated":"TS"},"event_id":"evt_1"}\n\n',
  'event: interaction.status_update\ndata: {"event_type":"interaction.status_update","interaction_id":"ID","status":"in_progress","event_id":"evt_2"}\n\n',
  'event: step.start\ndata: {"event_type":"step.start","index":0,"step":{"type":"model_output","content":[]},"event_id":"evt_3"}\n\n',
  'event: step.delta\ndata: {"event_type":"step.delta","index":0,"delta":{"type":"text","text":"Hello "},"event_id":"evt_4"}\n\n',
  'event: step.delta\ndata: {"event_type":"step.delta","index":0,"delta":{"type":"text","text":"there, "},"event_id":"evt_5"}\n\n',
  'event: step.delta\ndata: {"event_type":"step.delta","index":0,"delta":{"type":"text","text":"friend."},"event_id":"evt_6"}\n\n',
  'event: step.stop\ndata: {"event_type":"step.stop","index":0,"event_id":"evt_7"}\n\n',
  `event: interaction.status_update\ndata: {"event_type":"interaction.status_update","interaction_id":"ID","status":"completed","usage":${USAGE},"event_id":"evt_8"}\n\n`,
  `event: interaction.completed\ndata: {"event_type":"interaction.completed","interaction":{"id":"ID","status":"completed","object":"interaction","model":"gemini-3-flash-preview","created":"TS","updated":"TS","usage":${USAGE}},"event_id":"evt_9"}\n\n`,
  'event: done\ndata: [DONE]\n\n',
].join('');

const LEGACY_STREAM = [
  'event: interaction.start\ndata: {"event_type":"interaction.start","interaction":{"id":"ID","object":"interaction","status":"in_progress","model":"gemini-3-flash-preview","created":"TS","updated":"TS"},"event_id":"evt_1"}\n\n',
  'event: interaction.status_update\ndata: {"event_type":"interaction.status_update","interaction_id":"ID","status":"in_progress","event_id":"evt_2"}\n\n',
  'event: content.start\ndata: {"event_type":"content.start","index":0,"content":{"type":"text"},"event_id":"evt_4"}\n\n',
  'event: content.delta\ndata: {"event_type":"content.delta","index":0,"delta":{"type":"text","text":"Hello "},"event_id":"evt_4_1"}\n\n',
  'event: content.delta\ndata: {"event_type":"content.delta","index":0,"delta":{"type":"text","text":"there, "},"event_id":"evt_5"}\n\n',
  'event: content.delta\ndata: {"event_type":"content.delta","index":0,"delta":{"type":"text","text":"friend."},"event_id":"evt_6"}\n\n',
  'event: content.stop\ndata: {"event_type":"content.stop","index":0,"event_id":"evt_7"}\n\n',
  `event: interaction.status_update\ndata: {"event_type":"interaction.status_update","interaction_id":"ID","status":"completed","usage":${USAGE},"event_id":"evt_8"}\n\n`,
  `event: interaction.complete\ndata: {"event_type":"interaction.complete","interaction":{"id":"ID","object":"interaction","status":"completed","model":"gemini-3-flash-preview","created":"TS","updated":"TS","role":"model","usage":${USAGE}},"event_id":"evt_9"}\n\n`,
  'event: done\ndata: [DONE]\n\n',
].join('');

describe('SSE', () => {
  it('steps: body stream:true gives text/event-stream frames exactly, even with Accept: application/json', async () => {
    const reply = await call(`${t.url}/v1beta/interactions`, {
      body: { ...BODY, stream: true },
      headers: { ...STEPS, accept: 'application/json' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/event-stream');
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    expect(normalize(reply.text)).toBe(STEPS_STREAM);
  });

  it('legacy: the same answer as content.* events', async () => {
    const reply = await call(`${t.url}/v1beta/interactions`, {
      body: { ...BODY, stream: true },
      headers: LEGACY,
    });
    expect(normalize(reply.text)).toBe(LEGACY_STREAM);
  });

  it('query ?stream=true streams a create without stream in the body, whatever Accept says', async () => {
    const reply = await call(`${t.url}/v1beta/interactions?stream=true`, {
      body: BODY,
      headers: { ...STEPS, accept: 'application/json' },
    });
    expect(reply.headers.get('content-type')).toBe('text/event-stream');
    expect(normalize(reply.text)).toBe(STEPS_STREAM);
  });

  it('GET ?stream=true replays the stored log byte for byte (both revisions)', async () => {
    // A streamed create stores its log as sent (a unary create's is derived: http-persistence.test.ts).
    const post = await call(`${t.url}/v1beta/interactions`, {
      body: { ...BODY, stream: true },
      headers: STEPS,
    });
    const id = events(post.text)[0].interaction.id;
    await waitFor(async () =>
      (await call(`${t.url}/v1beta/interactions/${id}`)).json.status === 'completed' ? true : undefined,
    );
    const steps = await call(`${t.url}/v1beta/interactions/${id}?stream=true`, {
      headers: { ...STEPS, accept: 'application/json' },
    });
    expect(normalize(steps.text)).toBe(STEPS_STREAM);
    const legacy = await call(`${t.url}/v1beta/interactions/${id}?stream=true`, {
      headers: LEGACY,
    });
    expect(normalize(legacy.text)).toBe(LEGACY_STREAM);
  });

  it('without Api-Revision the configured default revision is used', async () => {
    const legacyDefault = await startServer({
      script: textScript('Hello there, friend.'),
      defaultRevision: 'legacy',
    });
    const reply = await call(`${legacyDefault.url}/v1beta/interactions`, { body: { ...BODY, stream: true } });
    expect(normalize(reply.text)).toBe(LEGACY_STREAM);
    const steps = await call(`${t.url}/v1beta/interactions`, { body: { ...BODY, stream: true } });
    expect(normalize(steps.text)).toBe(STEPS_STREAM);
  });
});
