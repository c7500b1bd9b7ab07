/**
 * The rules the fake Chat Completions server answers by (see chat-completions-upstream.ts): enough to play
 * the model in the seeds' examples — call the offered tool a prompt asks for, answer from tool results,
 * remember a name across turns, follow a JSON schema, plan and write Deep Research reports. Not a model.
 */
import { jsonFromSchema } from '../../src/providers/scripted/json-from-schema.ts';

export interface ChatMessage {
  role: string;
  content?: string | { type: string; text?: string }[] | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  response_format?: { type: string; json_schema?: { schema?: Record<string, unknown> } };
  reasoning_effort?: string;
  [extra: string]: unknown;
}

export interface RuleAnswer {
  text?: string;
  reasoning?: string;
  calls?: { name: string; arguments: Record<string, unknown> }[];
}

export function textOf(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => (p.type === 'text' ? (p.text ?? '') : `[${p.type}]`)).join(' ');
}

const FIBONACCI =
  'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint(fib(50))';

export function answerFor(request: ChatRequest): RuleAnswer {
  const { messages } = request;
  const last = messages.at(-1);
  const schema = request.response_format?.json_schema?.schema;
  const offered = new Set((request.tools ?? []).map((t) => t.function.name));
  if (last?.role === 'tool') return afterTools(messages, schema);
  const input = textOf(last);
  const system = textOf(messages.find((m) => m.role === 'system'));

  // Deep Research's own prompts (agents/deep-research/plan.ts, report.ts).
  if (input.startsWith('Plan web research for a report.')) {
    const question = /Question: (.*)/.exec(input)?.[1] ?? input;
    const topic = question.replace(/^research (the )?/i, '').replace(/[.?!]+$/, '');
    return { text: `1. ${topic}\n2. ${topic} 2025\n3. ${topic} timeline` };
  }
  if (input.startsWith('Write the research report.')) {
    const question = /Question: (.*)/.exec(input)?.[1] ?? '';
    const notes = /Notes:\n([\s\S]*?)\nEnd of notes\./.exec(input)?.[1] ?? '';
    const first = notes
      .split('\n')
      .filter((l) => l.trim())
      .slice(0, 3)
      .join('\n');
    return {
      text: `## ${question}\n\nFrom the sources read:\n\n${first}\n\nThis report was written from those notes.`,
    };
  }

  const weather = [...offered].find((n) => /weather/i.test(n));
  const place = /\bin ([A-Z][\w]*(?: [A-Z][\w]*)*)/.exec(input)?.[1];
  if (weather && /weather/i.test(input) && place)
    return { calls: [{ name: weather, arguments: { location: place } }] };
  const meeting = /Schedule a meeting for (\S+) at (.+?) with (\w+) and (\w+) about the (.+?)\.$/i.exec(
    input,
  );
  if (meeting && offered.has('schedule_meeting')) {
    const [, date, time, a, b, topic] = meeting;
    return { calls: [{ name: 'schedule_meeting', arguments: { attendees: [a, b], date, time, topic } }] };
  }
  if (offered.has('code_execution') && /fibonacci|calculate|compute/i.test(input)) {
    return { calls: [{ name: 'code_execution', arguments: { code: FIBONACCI } }] };
  }
  const url = /https?:\/\/\S+[^\s.,)]/.exec(input)?.[0];
  if (offered.has('url_context') && url)
    return { calls: [{ name: 'url_context', arguments: { urls: [url] } }] };
  if (offered.has('google_search'))
    return { calls: [{ name: 'google_search', arguments: { queries: [input] } }] };
  if (schema) return { text: JSON.stringify(jsonFromSchema(schema)) };

  const name = /my name is (\w+)/i.exec(input)?.[1];
  if (name) return { text: `Nice to meet you, ${name}!` };
  if (/what is my name/i.test(input)) {
    const earlier = messages.map((m) =>
      m.role === 'user' ? /my name is (\w+)/i.exec(textOf(m))?.[1] : undefined,
    );
    const known = earlier.filter(Boolean).at(-1);
    return { text: known ? `Your name is ${known}.` : 'You have not told me your name.' };
  }
  if (/largest cities in Spain/i.test(input)) {
    return { text: 'The three largest cities in Spain are Madrid, Barcelona, and Valencia.' };
  }
  if (/landmark in the second one/i.test(input)) {
    const said = messages
      .filter((m) => m.role === 'assistant')
      .map(textOf)
      .join(' ');
    const second = /, (\w+), and/.exec(said)?.[1];
    return {
      text:
        second === 'Barcelona'
          ? 'The most famous landmark in Barcelona is the Sagrada Família.'
          : 'Which one?',
    };
  }
  if (/quantum entanglement/i.test(input)) {
    return {
      text: 'Quantum entanglement links two particles so that measuring one tells you about the other, however far apart they are.',
    };
  }
  const reasoning =
    request.reasoning_effort === 'high' || /step by step/i.test(input)
      ? `Thinking about: ${input}`
      : undefined;
  const percent = /(\d+)% of (\d+)/.exec(input);
  if (percent) {
    const value = (Number(percent[1]) * Number(percent[2])) / 100;
    return { ...(reasoning && { reasoning }), text: `${percent[1]}% of ${percent[2]} is ${value}.` };
  }
  if (/joke/i.test(input))
    return { text: 'Why do programmers prefer dark mode? Because light attracts bugs.' };
  return { ...(reasoning && { reasoning }), text: `You said: ${input}${system ? ` (${system})` : ''}` };
}

/** The answer after tool results: JSON when a schema is asked, else what the tools returned. */
function afterTools(messages: ChatMessage[], schema: Record<string, unknown> | undefined): RuleAnswer {
  if (schema) return { text: JSON.stringify(jsonFromSchema(schema)) };
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === 'tool'; i--)
    results.unshift(textOf(messages[i]));
  return { text: `Here is what I found: ${results.join(' ').slice(0, 2_000)}` };
}
