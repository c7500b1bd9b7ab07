/**
 * A FAKE Gemini API (`models/{model}:streamGenerateContent?alt=sse`), for driving the seeds' examples end to
 * end through the `gemini` provider without a real model. Its wire format is the documented one (SSE `data:`
 * lines of `GenerateContentResponse` objects: thought-summary parts when `includeThoughts`, text parts word by
 * word, whole `functionCall` parts, `inlineData` for images and speech, `finishReason`, `usageMetadata`); its
 * ANSWERS come from the same rules as the fake Chat Completions server (./chat-rules.ts), not from a model.
 *
 * Like Gemini 3, it signs what it answers (the first function call of a response, else its last part) and
 * refuses (400 INVALID_ARGUMENT) a request whose current turn replays one of its function calls without the
 * exact signature it gave — so a test passes only if signatures round-trip byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFor, type ChatMessage, type ChatRequest, type RuleAnswer } from './chat-rules.ts';

interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: { result?: unknown; error?: unknown } };
  inlineData?: { mimeType: string; data: string };
}

export interface GeminiRequest {
  contents: { role: string; parts: Part[] }[];
  systemInstruction?: { parts: Part[] };
  tools?: { functionDeclarations?: { name: string }[] }[];
  generationConfig?: {
    responseJsonSchema?: Record<string, unknown>;
    responseModalities?: string[];
    thinkingConfig?: { thinkingLevel?: string; includeThoughts?: boolean };
    speechConfig?: Record<string, unknown>;
    imageConfig?: Record<string, unknown>;
  };
}

export interface GeminiUpstream {
  /** `http://127.0.0.1:PORT/v1beta` */
  url: string;
  requests: { path: string; body: GeminiRequest }[];
  /** Signatures it gave, for tests to look for. */
  signatures: Set<string>;
  close(): Promise<void>;
}

/** A 1×1 PNG, standing in for a generated picture. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export async function startGeminiUpstream(): Promise<GeminiUpstream> {
  const requests: GeminiUpstream['requests'] = [];
  const issued = new Map<string, string>(); // call key (name + args) → signature
  const signatures = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !/:streamGenerateContent\?alt=sse$/.test(req.url ?? '')) {
        return status(res, 404, 'NOT_FOUND', `no route ${req.url}`);
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GeminiRequest;
      requests.push({ path: req.url ?? '', body });
      const unsigned = missingSignature(body, issued);
      if (unsigned) {
        return status(
          res,
          400,
          'INVALID_ARGUMENT',
          `Function call is missing a thought_signature in functionCall parts. (${unsigned})`,
        );
      }
      const answer = answerFor(toChatRequest(body));
      stream(res, body, answer, (key) => {
        const signature = randomBytes(24).toString('base64');
        signatures.add(signature);
        if (key) issued.set(key, signature);
        return signature;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1beta`,
    requests,
    signatures,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const callKey = (name: string, args: unknown) => `${name}:${JSON.stringify(args)}`;

/** The current turn (after the last user text) must carry, on each first call it issued, that exact signature. */
function missingSignature(body: GeminiRequest, issued: Map<string, string>): string | undefined {
  const start = body.contents.findLastIndex(
    (c) => c.role === 'user' && c.parts.some((p) => p.text !== undefined),
  );
  for (const content of body.contents.slice(start + 1)) {
    if (content.role !== 'model') continue;
    const first = content.parts.find((p) => p.functionCall);
    if (!first?.functionCall) continue;
    const expected = issued.get(callKey(first.functionCall.name, first.functionCall.args));
    if (expected !== undefined && first.thoughtSignature !== expected) return first.functionCall.name;
  }
  return undefined;
}

function toChatRequest(body: GeminiRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = body.systemInstruction?.parts.map((p) => p.text ?? '').join('');
  if (system) messages.push({ role: 'system', content: system });
  for (const content of body.contents) {
    for (const part of content.parts) {
      if (part.functionResponse) {
        const r = part.functionResponse.response;
        messages.push({
          role: 'tool',
          tool_call_id: part.functionResponse.id ?? part.functionResponse.name,
          content: typeof r.result === 'string' ? r.result : JSON.stringify(r.result ?? r.error),
        });
      } else if (part.functionCall) {
        const call = {
          id: part.functionCall.id ?? part.functionCall.name,
          function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args) },
        };
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      } else if (part.text !== undefined && !part.thought) {
        const role = content.role === 'model' ? 'assistant' : 'user';
        const last = messages.at(-1);
        if (last?.role === role && typeof last.content === 'string') last.content += part.text;
        else messages.push({ role, content: part.text });
      } else if (part.inlineData && content.role === 'user') {
        messages.push({ role: 'user', content: [{ type: 'image' }] });
      }
    }
  }
  const functions = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const schema = body.generationConfig?.responseJsonSchema;
  const level = body.generationConfig?.thinkingConfig?.thinkingLevel;
  return {
    model: 'gemini',
    messages,
    tools: functions.map((f) => ({ type: 'function' as const, function: { name: f.name } })),
    ...(schema ? { response_format: { type: 'json_schema', json_schema: { schema } } } : {}),
    ...(level ? { reasoning_effort: level } : {}),
  };
}

function stream(
  res: ServerResponse,
  body: GeminiRequest,
  answer: RuleAnswer,
  sign: (callKey?: string) => string,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (parts: Part[], finish?: string) =>
    res.write(
      `data: ${JSON.stringify({
        candidates: [
          { content: { role: 'model', parts }, ...(finish ? { finishReason: finish } : {}), index: 0 },
        ],
        ...(finish ? { usageMetadata: usage(body, answer) } : {}),
        modelVersion: 'gemini-fake',
      })}\n\n`,
    );
  const modalities = body.generationConfig?.responseModalities ?? [];
  if (modalities.includes('AUDIO')) {
    send(
      [
        {
          inlineData: {
            mimeType: 'audio/L16;codec=pcm;rate=24000',
            data: Buffer.alloc(480).toString('base64'),
          },
        },
      ],
      'STOP',
    );
    return void res.end();
  }
  if (answer.reasoning && body.generationConfig?.thinkingConfig?.includeThoughts) {
    for (const piece of words(answer.reasoning)) send([{ text: piece, thought: true }]);
  }
  if (modalities.includes('IMAGE')) {
    send([{ text: 'Here is the image you asked for.' }]);
    send([{ inlineData: { mimeType: 'image/png', data: PNG }, thoughtSignature: sign() }], 'STOP');
    return void res.end();
  }
  for (const piece of words(answer.text ?? '')) send([{ text: piece }]);
  if (answer.calls?.length) {
    // One response: only the first call is signed (ai.google.dev thought-signatures, parallel calls).
    send(
      answer.calls.map((call, i) => ({
        functionCall: { name: call.name, args: call.arguments },
        ...(i === 0 ? { thoughtSignature: sign(callKey(call.name, call.arguments)) } : {}),
      })),
      'STOP',
    );
  } else {
    send([{ text: '', thoughtSignature: sign() }], 'STOP'); // a response without calls signs its last part
  }
  res.end();
}

function status(res: ServerResponse, code: number, name: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message, status: name } }));
}

function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? (text ? [text] : []);
}

function usage(body: GeminiRequest, answer: RuleAnswer) {
  const count = (s: string) => Math.max(1, Math.ceil(s.length / 4));
  const prompt = count(JSON.stringify(body.contents));
  const thoughts = answer.reasoning ? count(answer.reasoning) : 0;
  const candidates = count(answer.text ?? JSON.stringify(answer.calls ?? []));
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
    totalTokenCount: prompt + candidates + thoughts,
  };
}
