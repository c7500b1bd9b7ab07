/**
 * A FAKE Anthropic Messages API (`POST /v1/messages`, streaming), for driving the seeds' examples end to end
 * through the `anthropic` provider without a real model. Its wire format is the documented one (named SSE
 * events: `message_start`, `content_block_start` / `_delta` / `_stop` with `text_delta`, `thinking_delta`,
 * `signature_delta`, `input_json_delta`, then `message_delta` and `message_stop`); its ANSWERS come from the
 * same rules as the fake Chat Completions server (./chat-rules.ts), not from a model.
 *
 * Like Claude, it signs each thinking block and refuses (400 invalid_request_error) a request that sends a
 * thinking block back with a signature that does not match its exact text — so a test passes only if thinking
 * round-trips byte for byte — and, with thinking on, a tool-use loop whose assistant message does not open with
 * a thinking block.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFor, type ChatMessage, type ChatRequest, type RuleAnswer } from './chat-rules.ts';

type Block = Record<string, unknown> & { type: string };

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: string; content: string | Block[] }[];
  tools?: { name: string }[];
  thinking?: { type: string; budget_tokens?: number };
  output_config?: { format?: { schema?: Record<string, unknown> } };
  stream?: boolean;
}

export interface AnthropicUpstream {
  /** `http://127.0.0.1:PORT/v1` */
  url: string;
  requests: MessagesRequest[];
  close(): Promise<void>;
}

const SECRET = 'fake-anthropic-signing-key';
const sign = (thinking: string) => createHmac('sha256', SECRET).update(thinking).digest('base64');

export async function startAnthropicUpstream(): Promise<AnthropicUpstream> {
  const requests: MessagesRequest[] = [];
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/messages')) {
        return error(res, 404, 'not_found_error', `no route ${req.url}`);
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequest;
      requests.push(body);
      const forged = body.messages
        .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
        .find((b) => b.type === 'thinking' && b.signature !== sign(String(b.thinking)));
      if (forged) return error(res, 400, 'invalid_request_error', 'Invalid `signature` in `thinking` block');
      if (body.thinking && unthoughtToolLoop(body)) {
        return error(
          res,
          400,
          'invalid_request_error',
          'Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.',
        );
      }
      counter += 1;
      stream(res, body, answerFor(toChatRequest(body)), `msg_fake${counter}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The conversation ends in tool results for an assistant message that does not open with thinking. */
function unthoughtToolLoop(body: MessagesRequest): boolean {
  const [assistant, user] = body.messages.slice(-2);
  if (assistant?.role !== 'assistant' || user?.role !== 'user' || !Array.isArray(user.content)) return false;
  const blocks = Array.isArray(assistant.content) ? assistant.content : [];
  const opensWithThinking = blocks[0]?.type === 'thinking' || blocks[0]?.type === 'redacted_thinking';
  return (
    user.content.some((b) => b.type === 'tool_result') &&
    blocks.some((b) => b.type === 'tool_use') &&
    !opensWithThinking
  );
}

function toChatRequest(body: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = body.system ? [{ role: 'system', content: body.system }] : [];
  for (const message of body.messages) {
    const blocks: Block[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of blocks) {
      if (block.type === 'tool_result') {
        const content = block.content;
        messages.push({
          role: 'tool',
          tool_call_id: String(block.tool_use_id),
          content:
            typeof content === 'string'
              ? content
              : (content as Block[]).map((b) => (b.type === 'text' ? String(b.text) : '')).join(''),
        });
      } else if (block.type === 'tool_use') {
        const call = {
          id: String(block.id),
          function: { name: String(block.name), arguments: JSON.stringify(block.input) },
        };
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      } else if (block.type === 'text') {
        const role = message.role === 'assistant' ? 'assistant' : 'user';
        const last = messages.at(-1);
        if (last?.role === role && typeof last.content === 'string') last.content += String(block.text);
        else messages.push({ role, content: String(block.text) });
      } else if (block.type === 'image' || block.type === 'document') {
        messages.push({ role: 'user', content: [{ type: block.type }] });
      }
    }
  }
  const schema = body.output_config?.format?.schema;
  return {
    model: body.model,
    messages,
    tools: (body.tools ?? []).map((t) => ({ type: 'function' as const, function: { name: t.name } })),
    ...(schema ? { response_format: { type: 'json_schema', json_schema: { schema } } } : {}),
    ...(body.thinking ? { reasoning_effort: 'high' } : {}),
  };
}

function stream(res: ServerResponse, body: MessagesRequest, answer: RuleAnswer, id: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (data: Record<string, unknown>) =>
    res.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
  const input = Math.max(1, Math.ceil(JSON.stringify(body.messages).length / 4));
  send({
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      content: [],
      model: body.model,
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: input, output_tokens: 1 },
    },
  });
  let index = 0;
  if (answer.reasoning && body.thinking) {
    send({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } });
    for (const piece of words(answer.reasoning)) {
      send({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } });
    }
    send({
      type: 'content_block_delta',
      index,
      delta: { type: 'signature_delta', signature: sign(answer.reasoning) },
    });
    send({ type: 'content_block_stop', index });
    index += 1;
  }
  if (answer.text) {
    send({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const piece of words(answer.text))
      send({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    send({ type: 'content_block_stop', index });
    index += 1;
  }
  for (const [i, call] of (answer.calls ?? []).entries()) {
    send({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: `toolu_fake_${id}_${i}`, name: call.name, input: {} },
    });
    const json = JSON.stringify(call.arguments);
    for (let at = 0; at < json.length; at += 12) {
      send({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: json.slice(at, at + 12) },
      });
    }
    send({ type: 'content_block_stop', index });
    index += 1;
  }
  const output = Math.max(1, Math.ceil(JSON.stringify(answer).length / 4));
  send({
    type: 'message_delta',
    delta: { stop_reason: answer.calls?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: output },
  });
  send({ type: 'message_stop' });
  res.end();
}

function error(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? (text ? [text] : []);
}
