/**
 * What the `openai` provider sends upstream, through the real server over HTTP to the fake Chat Completions
 * server: media by URI fetched by our server (SSRF-guarded) and inlined, content or tools the upstream cannot
 * take refused with a 400 naming them, and generation_config mapped onto the Chat Completions fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA, type MediaServer, startMediaServer } from './conformance/support.ts';
import {
  type ChatCompletionsUpstream,
  startChatCompletionsUpstream,
} from './fakes/chat-completions-upstream.ts';
import { call, startServer, type TestServer } from './helpers/server.ts';

let upstream: ChatCompletionsUpstream;
let media: MediaServer;
let open: TestServer; // may fetch media from 127.0.0.1
let strict: TestServer; // default SSRF policy
beforeAll(async () => {
  upstream = await startChatCompletionsUpstream();
  media = await startMediaServer();
  const base = { provider: 'openai', mcp: false as const };
  open = await startServer({
    ...base,
    providerOptions: { baseUrl: upstream.url, input: ['image', 'audio'] },
    builtins: { allowHosts: ['127.0.0.1'] },
  });
  strict = await startServer({ ...base, providerOptions: { baseUrl: upstream.url }, builtins: {} });
});
afterAll(async () => {
  await open?.close();
  await strict?.close();
  await media?.close();
  await upstream?.close();
});

const create = (api: TestServer, body: Record<string, unknown>) =>
  call(`${api.url}/v1beta/interactions`, { body: { model: 'gemini-3-flash-preview', ...body } });
type Part = { type: string; image_url?: { url: string }; input_audio?: { data: string; format: string } };
const lastUserParts = () => upstream.requests.at(-1)?.messages.at(-1)?.content as Part[];

describe('openai provider input', () => {
  it('an image uri the upstream cannot reach is fetched by the server and sent inline', async () => {
    const reply = await create(open, {
      input: [
        { type: 'text', text: 'Describe the image.' },
        { type: 'image', uri: `${media.url}/car.png`, mime_type: 'image/png' },
      ],
    });
    expect(reply.json.status).toBe('completed');
    expect(media.requests).toContain('/car.png');
    expect(lastUserParts()[1]).toEqual({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${MEDIA['car.png']!.data.toString('base64')}` },
    });
  });

  it('audio goes as input_audio where the route says the upstream takes it', async () => {
    const reply = await create(open, {
      input: [
        { type: 'text', text: 'What does this audio say?' },
        { type: 'audio', data: MEDIA['speech.wav']!.data.toString('base64'), mime_type: 'audio/wav' },
      ],
    });
    expect(reply.json.status).toBe('completed');
    expect(lastUserParts()[1]).toMatchObject({ type: 'input_audio', input_audio: { format: 'wav' } });
  });

  it('a loopback uri is refused by the SSRF policy: 400, nothing sent upstream', async () => {
    const before = upstream.requests.length;
    const reply = await create(strict, {
      input: [
        { type: 'text', text: 'Describe.' },
        { type: 'image', uri: `${media.url}/car.png` },
      ],
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toMatch(/could not fetch .*refused/);
    expect(upstream.requests.length).toBe(before);
  });

  it('content the upstream does not take is a 400 naming the type and the provider, never dropped', async () => {
    const reply = await create(strict, {
      input: [
        { type: 'text', text: 'Listen.' },
        { type: 'audio', data: 'UklGRg==', mime_type: 'audio/wav' },
      ],
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('invalid_request');
    expect(reply.json.error.message).toMatch(/'audio' content cannot be sent to the 'openai' provider/);
  });

  it('a tool the provider cannot offer, or two tools with one name, is a 400 naming tools[i]', async () => {
    const search = await create(strict, { input: 'Find it', tools: [{ type: 'file_search' }] });
    expect(search.status).toBe(400);
    expect(search.json.error.message).toMatch(
      /'tools\[0\]': the 'openai' provider cannot offer 'file_search'/,
    );
    const clash = await create(strict, {
      input: 'Run it',
      tools: [{ type: 'code_execution' }, { type: 'function', name: 'code_execution' }],
    });
    expect(clash.status).toBe(400);
    expect(clash.json.error.message).toMatch(/'tools\[1\]' offers a function named 'code_execution'/);
  });

  it('generation_config maps onto the Chat Completions fields', async () => {
    await create(strict, {
      input: 'Tell me a story',
      system_instruction: 'Be brief.',
      generation_config: {
        temperature: 0.7,
        top_p: 0.9,
        max_output_tokens: 500,
        seed: 7,
        stop_sequences: ['THE END'],
        thinking_level: 'low',
        tool_choice: 'any',
      },
      tools: [{ type: 'function', name: 'noop' }],
    });
    const sent = upstream.requests.at(-1)!;
    expect(sent).toMatchObject({
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 500,
      seed: 7,
      stop: ['THE END'],
      reasoning_effort: 'low',
      tool_choice: 'required',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });
});
