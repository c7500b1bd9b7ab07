/**
 * What the inspector's browser tests (and the README screenshot) look at: a script for the scripted model
 * whose answers use every kind of step, and helpers that create interactions over HTTP.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Item } from '@interplay/protocol';
import type { ServerTool } from '../../src/tools/server-tool.ts';

/** A citation of `cited` inside `text`, with UTF-8 byte offsets as the API defines them. */
function citation(text: string, cited: string, url: string, title: string): Record<string, unknown> {
  const start = Buffer.byteLength(text.slice(0, text.indexOf(cited)));
  return {
    type: 'url_citation',
    url,
    title,
    start_index: start,
    end_index: start + Buffer.byteLength(cited),
  };
}

export const REPORT_TEXT = [
  '## Tides in brief',
  '',
  'Tides are caused mainly by the **Moon’s gravity**; the Sun adds a smaller pull.',
  'Spring tides happen when both line up.',
  '',
  '- high tide twice a day',
  '- `~12 h 25 min` apart',
].join('\n');

const REPORT_ANNOTATIONS = [
  citation(REPORT_TEXT, 'Moon’s gravity', 'https://example.org/tides', 'How tides work'),
  citation(
    REPORT_TEXT,
    'Spring tides happen when both line up.',
    'https://example.org/spring',
    'Spring tides',
  ),
];

export const LOOKUP_ANSWER = `The archive says: ${Array.from({ length: 24 }, (_, i) => `fact${i + 1}`).join(' ')}. Done.`;

/** Model output trying what untrusted markdown can try: script, event handlers, javascript: links, a remote image. */
export const HOSTILE_TEXT = [
  'Click [this](javascript:window.__pwned=1) or <a href="https://example.org/ok" onclick="window.__pwned=2">that</a>.',
  '<img src="x" onerror="window.__pwned=3"> <script>window.__pwned=4</script>',
  '![tracker](https://example.org/pixel.png?leak=secret)',
  '<iframe src="https://example.org/frame"></iframe><style>body{display:none}</style>',
].join('\n\n');

/** A small gradient PNG, so a picture shows in the timeline (and the screenshot). */
export function gradientPng(width = 96, height = 64): string {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.round((x / width) * 255);
      row[2 + x * 3] = Math.round((y / height) * 200);
      row[3 + x * 3] = 180;
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

/** Scripted answers for the inspector's scenarios (see docs/server/scripted-provider.md). */
export function inspectorScript(delayMs = 0): object {
  return {
    ...(delayMs > 0 ? { delay_ms: delayMs } : {}),
    rules: [
      {
        name: 'weather: a client function call',
        when: { input: 'weather in (?<city>\\w+)', tools: ['get_weather'] },
        respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: '{{city}}' } }],
      },
      {
        name: 'weather: the answer once the result is back',
        when: { last: 'function_result' },
        respond: 'The weather: {{last.result}}',
      },
      {
        name: 'tides: thought, markdown with citations, an image and speech',
        when: { input: 'tides' },
        respond: [
          { type: 'thought', summary: 'Looking for **sources** on tides' },
          { type: 'text', text: REPORT_TEXT, annotations: REPORT_ANNOTATIONS },
          { type: 'image', data: gradientPng(), mime_type: 'image/png' },
          { type: 'audio' },
        ],
      },
      {
        name: 'python: server-run code',
        when: { input: 'python', tools: ['code_execution'] },
        respond: [{ type: 'code_execution_call', arguments: { language: 'python', code: 'print(6 * 7)' } }],
      },
      {
        name: 'python: the output back',
        when: { last: 'code_execution_result' },
        respond: 'Python printed {{last.result}}',
      },
      {
        name: 'lookup: server tools the test holds until it lets go',
        when: { input: 'lookup', tools: ['retrieval'] },
        respond: [
          { type: 'thought', summary: 'Checking the archive first' },
          { type: 'retrieval_call', arguments: { queries: ['archive'] } },
        ],
      },
      {
        name: 'lookup: a first answer, then a second held tool',
        when: { last: 'retrieval_result' },
        respond: [
          { type: 'text', text: 'Found it in the archive.' },
          { type: 'google_maps_call', arguments: { queries: ['harbour'] } },
        ],
      },
      {
        name: 'lookup: the long answer at the end',
        when: { last: 'google_maps_result' },
        respond: LOOKUP_ANSWER,
      },
      {
        name: 'hostile: markup and links a page must neither run nor load',
        when: { input: 'hostile' },
        respond: HOSTILE_TEXT,
      },
      {
        name: 'broken',
        when: { input: 'break' },
        error: { code: 'api_error', message: 'The model fell over.' },
      },
      { respond: 'You said: {{input}}' },
    ],
  };
}

/** POST an interaction (steps revision): the HTTP status and the JSON answer. */
export async function post(
  url: string,
  body: Record<string, unknown>,
  key?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/v1beta/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'api-revision': '2026-05-20',
      ...(key ? { 'x-goog-api-key': key } : {}),
    },
    body: JSON.stringify({ model: 'gemini-3-flash-preview', ...body }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** POST an interaction that must succeed; its id. */
export async function create(url: string, body: Record<string, unknown>, key?: string): Promise<string> {
  const { status, json } = await post(url, body, key);
  if (status !== 200 || typeof json.id !== 'string') {
    throw new Error(`create failed: ${status} ${JSON.stringify(json)}`);
  }
  return json.id;
}

export interface HeldTool {
  tool: ServerTool;
  /** Resolves when the model's call reached the tool. */
  started: Promise<void>;
  /** Lets the tool answer. */
  release(): void;
}

/**
 * A server-run tool (`retrieval` or `google_maps`) that answers only once the test lets it: a background run
 * stays in progress at that step, deterministically, for as long as a scenario needs.
 */
export function heldTool(toolType: 'retrieval' | 'google_maps'): HeldTool {
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const started = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const tool: ServerTool = {
    toolType,
    callType: `${toolType}_call`,
    async execute(call, ctx) {
      reached();
      await new Promise<void>((resolve, reject) => {
        released.then(resolve);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
      return {
        type: `${toolType}_result`,
        call_id: String(call.id),
        result: [`${toolType} answer`],
      } as unknown as Item;
    },
  };
  return { tool, started, release };
}

export const WEATHER_TOOL = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
