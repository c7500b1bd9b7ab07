/**
 * A small fake Interactions API on node:http for the client tests: both revisions (by `Api-Revision`),
 * create / get / delete / cancel, SSE streams with `event_id` on every event, replay and `last_event_id`
 * resume, and background interactions whose events are released over time.
 *
 * Which recorded transcript an interaction plays is chosen by `model` (or `agent`):
 * - `fixture:<name>`: that transcript, with ids rewritten and `event_id`s added, stored like any interaction;
 * - `verbatim:<name>`: the transcript's exact bytes as the stream response, nothing stored;
 * - anything else: the revision's default story.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  encodeSseEvent,
  type Revision,
  revisionFromHeader,
  SSE_DONE_FRAME,
  SseDecoder,
} from '@interplay/protocol';
import type { Transcript } from './transcripts.ts';

type Json = Record<string, unknown>;

export interface StoredInteraction {
  id: string;
  revision: Revision;
  input: unknown;
  model?: string;
  agent?: string;
  background: boolean;
  /** Every event it will emit, with `event_id`s. */
  events: Json[];
  released: number;
  timer?: ReturnType<typeof setInterval>;
  listeners: Set<() => void>;
  created: string;
}

export interface FakeApi {
  baseUrl: string;
  interactions: Map<string, StoredInteraction>;
  /** Parse a transcript's events (what a perfect client must yield, before id rewriting). */
  eventsOf(name: string): Json[];
  close(): Promise<void>;
}

export interface FakeApiOptions {
  transcripts: Transcript[];
  /** Pace at which a background interaction releases events (default 15 ms). */
  eventIntervalMs?: number;
}

export function parseTranscript(text: string): Json[] {
  const decoder = new SseDecoder();
  const items = [...decoder.push(text), ...decoder.end()];
  return items.flatMap((i) => (i.kind === 'event' ? [i.data] : []));
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function statusOf(events: Json[]): string {
  let status = 'in_progress';
  for (const e of events) {
    const inner = e.interaction as Json | undefined;
    if (typeof e.status === 'string') status = e.status;
    else if (inner && typeof inner.status === 'string') status = inner.status;
  }
  return status;
}

/** Rebuild the output list from events (text, signatures, summaries, tool data; enough for tests). */
function assemble(events: Json[], revision: Revision): Json[] {
  const out: Json[] = [];
  const args = new Map<number, string>();
  for (const e of events) {
    const index = e.index as number;
    const t = e.event_type;
    if (t === 'step.start' || t === 'content.start') {
      out[index] = structuredClone((t === 'step.start' ? e.step : e.content) as Json);
      // A poll between a text block's start and its first delta must still see a valid (empty) text.
      if (t === 'content.start' && out[index].type === 'text') out[index].text ??= '';
    } else if (t === 'step.delta' || t === 'content.delta') {
      const target = out[index] ?? {};
      out[index] = target;
      const d = e.delta as Json;
      if (d.type === 'text') {
        if (revision === 'legacy') target.text = String(target.text ?? '') + String(d.text);
        else {
          target.content ??= [];
          const content = target.content as Json[];
          const last = content[content.length - 1];
          if (last?.type === 'text') last.text = String(last.text) + String(d.text);
          else content.push({ type: 'text', text: d.text });
        }
      } else if (d.type === 'thought_signature') target.signature = d.signature;
      else if (d.type === 'thought_summary') {
        target.summary ??= [];
        (target.summary as unknown[]).push(d.content);
      } else if (d.type === 'arguments_delta')
        args.set(index, (args.get(index) ?? '') + String(d.arguments ?? ''));
      else {
        const { type: _t, ...rest } = d;
        Object.assign(target, rest);
      }
    } else if ((t === 'step.stop' || t === 'content.stop') && args.has(index)) {
      const target = out[index];
      if (target) target.arguments = JSON.parse(args.get(index) ?? '{}');
    }
  }
  return out.filter((x) => x !== undefined);
}

function terminalUsage(events: Json[]): unknown {
  for (const e of [...events].reverse()) {
    const inner = e.interaction as Json | undefined;
    if (inner?.usage) return inner.usage;
  }
  return undefined;
}

function view(s: StoredInteraction, mode: 'post' | 'get', includeInput: boolean): Json {
  const released = s.events.slice(0, s.released);
  const outputs = assemble(released, s.revision);
  const body: Json = {
    id: s.id,
    object: 'interaction',
    status: statusOf(released),
    ...(s.model ? { model: s.model } : {}),
    ...(s.agent ? { agent: s.agent } : {}),
    created: s.created,
    updated: now(),
  };
  const usage = terminalUsage(released);
  if (usage) body.usage = usage;
  if (s.revision === 'legacy') {
    body.role = s.agent ? 'agent' : 'model';
    body.outputs = outputs;
  } else {
    const input = typeof s.input === 'string' ? [{ type: 'text', text: s.input }] : s.input;
    body.steps = mode === 'get' ? [{ type: 'user_input', content: input }, ...outputs] : outputs;
  }
  if (includeInput) body.input = s.input;
  return body;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const sendError = (res: http.ServerResponse, status: number, code: string, message: string) =>
  sendJson(res, status, { error: { code, message } });

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeApi(options: FakeApiOptions): Promise<FakeApi> {
  const interactions = new Map<string, StoredInteraction>();
  const interval = options.eventIntervalMs ?? 15;
  let counter = 0;
  const byName = (name: string) => options.transcripts.find((t) => t.name === name);

  const instantiate = (t: Transcript, id: string): Json[] =>
    parseTranscript(t.text).map((e, k) => {
      const copy = structuredClone(e);
      const inner = copy.interaction as Json | undefined;
      if (inner) inner.id = id;
      if (typeof copy.interaction_id === 'string') copy.interaction_id = id;
      copy.event_id = `${id}:e${String(k + 1).padStart(3, '0')}`;
      return copy;
    });

  const notify = (s: StoredInteraction) => {
    for (const l of [...s.listeners]) l();
  };

  const serveStream = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    s: StoredInteraction,
    after?: string,
  ) => {
    let cursor = 0;
    if (after !== undefined) {
      const at = s.events.findIndex((e) => e.event_id === after);
      if (at < 0 || at >= s.released)
        return sendError(res, 400, 'invalid_request', `Unknown last_event_id '${after}'`);
      cursor = at + 1;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const pump = () => {
      while (cursor < s.released) res.write(encodeSseEvent(s.events[cursor++] as { event_type: string }));
      if (s.released >= s.events.length) {
        s.listeners.delete(pump);
        res.end(SSE_DONE_FRAME);
      }
    };
    s.listeners.add(pump);
    req.on('close', () => s.listeners.delete(pump));
    res.on('close', () => s.listeners.delete(pump));
    pump();
  };

  const create = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body: Json;
    try {
      body = JSON.parse(await readBody(req)) as Json;
    } catch {
      return sendError(res, 400, 'invalid_request', 'Body is not JSON');
    }
    const revision = revisionFromHeader(req.headers['api-revision'] as string | undefined) ?? 'steps';
    const selector = String(body.model ?? body.agent ?? '');
    if (selector.startsWith('verbatim:')) {
      const t = byName(selector.slice('verbatim:'.length));
      if (!t) return sendError(res, 404, 'model_not_found', `No transcript ${selector}`);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return res.end(t.text);
    }
    const t = selector.startsWith('fixture:')
      ? byName(selector.slice('fixture:'.length))
      : byName(`client-${revision}-story`);
    if (!t) return sendError(res, 404, 'model_not_found', `No transcript for ${selector}`);
    if (body.background === true && body.store === false) {
      return sendError(res, 400, 'invalid_request', 'background requires store');
    }
    const id = `v1_fake${++counter}`;
    const s: StoredInteraction = {
      id,
      revision,
      input: body.input,
      ...(typeof body.model === 'string' ? { model: body.model } : {}),
      ...(typeof body.agent === 'string' ? { agent: body.agent } : {}),
      background: body.background === true,
      events: instantiate(t, id),
      released: 0,
      listeners: new Set(),
      created: now(),
    };
    if (body.store !== false) interactions.set(id, s);
    if (s.background) {
      s.released = 1;
      s.timer = setInterval(() => {
        s.released++;
        if (s.released >= s.events.length) clearInterval(s.timer);
        notify(s);
      }, interval);
    } else {
      s.released = s.events.length;
    }
    if (body.stream === true) return serveStream(req, res, s);
    return sendJson(res, 200, view(s, 'post', false));
  };

  const cancel = (res: http.ServerResponse, s: StoredInteraction) => {
    if (s.released >= s.events.length) {
      return sendError(
        res,
        400,
        'failed_precondition',
        'Only running background interactions can be cancelled',
      );
    }
    clearInterval(s.timer);
    s.events = s.events.slice(0, s.released);
    const terminal = s.revision === 'legacy' ? 'interaction.complete' : 'interaction.completed';
    const n = s.events.length;
    s.events.push(
      {
        event_type: 'interaction.status_update',
        interaction_id: s.id,
        status: 'cancelled',
        event_id: `${s.id}:c${n}`,
      },
      { event_type: terminal, interaction: { id: s.id, status: 'cancelled' }, event_id: `${s.id}:c${n + 1}` },
    );
    s.released = s.events.length;
    notify(s);
    sendJson(res, 200, view(s, 'post', false));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/(v1|v1beta|v1alpha)\/interactions(?:\/([^/]+))?(?:\/(cancel))?$/.exec(url.pathname);
    if (!m) return sendError(res, 404, 'not_found', `No route ${req.method} ${url.pathname}`);
    const [, , rawId, action] = m;
    if (rawId === undefined) {
      if (req.method === 'POST') return void create(req, res);
      return sendError(res, 405, 'invalid_request', 'Method not allowed');
    }
    const s = interactions.get(decodeURIComponent(rawId));
    if (!s) return sendError(res, 404, 'not_found', `Interaction ${rawId} not found`);
    if (action === 'cancel' && req.method === 'POST') return cancel(res, s);
    if (req.method === 'DELETE') {
      clearInterval(s.timer);
      interactions.delete(s.id);
      return sendJson(res, 200, {});
    }
    if (req.method === 'GET') {
      if (url.searchParams.get('stream') === 'true') {
        return serveStream(req, res, s, url.searchParams.get('last_event_id') ?? undefined);
      }
      return sendJson(res, 200, view(s, 'get', url.searchParams.get('include_input') === 'true'));
    }
    return sendError(res, 405, 'invalid_request', 'Method not allowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    interactions,
    eventsOf: (name) => parseTranscript(byName(name)?.text ?? ''),
    close: async () => {
      for (const s of interactions.values()) clearInterval(s.timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
