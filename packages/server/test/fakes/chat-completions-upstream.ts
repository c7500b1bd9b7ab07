/**
 * A FAKE OpenAI-compatible Chat Completions server, for driving the seeds' examples end to end through the
 * `openai` provider without a real model. Its wire format is the documented one exactly (SSE `data:` chunks
 * of `chat.completion.chunk` objects — a role chunk, content deltas, tool calls streamed in pieces by `index`,
 * `finish_reason`, a usage chunk when `stream_options.include_usage` is set, `data: [DONE]`; or one
 * `chat.completion` object without `stream`); its ANSWERS come from a few rules (./chat-rules.ts), not from a
 * model. It records each request body, so tests can check what the provider sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFor, type ChatRequest, type RuleAnswer } from './chat-rules.ts';

export interface ChatCompletionsUpstream {
  /** `http://127.0.0.1:PORT/v1` */
  url: string;
  /** Every request body received, oldest first. */
  requests: ChatRequest[];
  /** The `authorization` header of each request (undefined when none was sent), in the same order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startChatCompletionsUpstream(): Promise<ChatCompletionsUpstream> {
  const requests: ChatRequest[] = [];
  const authorizations: (string | undefined)[] = [];
  let counter = 0;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: `no route ${req.url}`, type: 'invalid_request_error', param: null, code: null },
        }),
      );
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      requests.push(body);
      authorizations.push(req.headers.authorization);
      const answer = answerFor(body);
      const id = `chatcmpl-fake${++counter}`;
      if (body.stream) streamAnswer(res, id, body, answer);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(completion(id, body, answer)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Res = import('node:http').ServerResponse;

function streamAnswer(res: Res, id: string, body: ChatRequest, answer: RuleAnswer): void {
  const counter = id.replace(/\D/g, '');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = {
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: body.model,
    system_fingerprint: 'fp_fake',
  };
  const send = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`,
    );
  send({ role: 'assistant', content: '' });
  for (const piece of words(answer.reasoning ?? '')) send({ reasoning: piece });
  for (const piece of words(answer.text ?? '')) send({ content: piece });
  (answer.calls ?? []).forEach((call, index) => {
    send({
      tool_calls: [
        {
          index,
          id: `call_fake${counter}_${index}`,
          type: 'function',
          function: { name: call.name, arguments: '' },
        },
      ],
    });
    const json = JSON.stringify(call.arguments);
    for (let i = 0; i < json.length; i += 12) {
      send({ tool_calls: [{ index, function: { arguments: json.slice(i, i + 12) } }] });
    }
  });
  send({}, answer.calls?.length ? 'tool_calls' : 'stop');
  if (body.stream_options?.include_usage) {
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: usage(body, answer) })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

function completion(id: string, body: ChatRequest, answer: RuleAnswer): Record<string, unknown> {
  const calls = (answer.calls ?? []).map((call, index) => ({
    id: `call_fake${id}_${index}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  return {
    id,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text ?? null,
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: calls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: usage(body, answer),
  };
}

/** Word-sized pieces (a space stays with the word after it), as models stream tokens. */
function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? (text ? [text] : []);
}

function usage(body: ChatRequest, answer: RuleAnswer) {
  const count = (s: string) => Math.max(1, Math.ceil(s.length / 4));
  const prompt = count(JSON.stringify(body.messages));
  const reasoning = answer.reasoning ? count(answer.reasoning) : 0;
  const completion = count(answer.text ?? JSON.stringify(answer.calls ?? [])) + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}
