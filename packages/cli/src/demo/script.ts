/**
 * The scripted model's extra rules for the demo (offline only; live Gemini needs none). They go before the
 * server's default script, which already answers the weather question's tool call and Deep Research's planning,
 * report and summary prompts. Only the model's words and choices are scripted: the tools, the MCP server, the
 * Python sandbox, the searches and page reads really run.
 */
import type { ScriptInput } from '@interplay/server';

type Rule = ScriptInput['rules'][number];

/** Part 2's prompt: two cities and an n-th Fibonacci number. */
export const AGENT_PROMPT =
  'What is the weather in Paris and in Tokyo right now, and what is the 30th Fibonacci number? ' +
  'Use Python for the math.';
const AGENT =
  'weather in (?<first>[a-z][\\w-]*) and (?:in )?(?<second>[a-z][\\w-]*)[\\s\\S]*?(?<n>\\d+)(?:st|nd|rd|th) fibonacci';

const FIBONACCI =
  'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n' +
  'print(f"fib({{n}}) = {fib({{n}})}")';

export const DEMO_RULES: Rule[] = [
  // Part 1: the default script calls get_weather for "What is the weather in Paris?"; this words the answer
  // from the typed tool's result object.
  {
    name: 'demo: typed weather answer',
    when: { input: '^what is the weather in [^?]+\\?$', tools: ['get_weather'], last: 'function_result' },
    respond:
      'In {{last.result.location}} it is {{last.result.temperature}} degrees {{last.result.unit}} and ' +
      '{{last.result.conditions}}, with wind at {{last.result.wind_kmh}} km/h.',
  },
  // Part 2: both forecasts at once (the runner runs the two calls in parallel), then Python, then the answer.
  {
    name: 'demo agent: two forecasts in parallel',
    when: { input: AGENT, tools: ['get_weather', 'code_execution'], last: 'user_input' },
    respond: [
      { type: 'function_call', name: 'get_weather', arguments: { location: '{{first}}' } },
      { type: 'function_call', name: 'get_weather', arguments: { location: '{{second}}' } },
    ],
  },
  {
    name: 'demo agent: compute with Python',
    when: { input: AGENT, tools: ['code_execution'], last: 'function_result' },
    respond: [{ type: 'code_execution_call', arguments: { language: 'python', code: FIBONACCI } }],
  },
  {
    name: 'demo agent: answer',
    when: { input: AGENT, last: 'code_execution_result' },
    respond:
      'The forecasts for {{first}} and {{second}} are the two get_weather results above, fetched in parallel ' +
      'from the weather_service MCP server. Python computed the {{n}}th Fibonacci number: {{last.result}}.',
  },
];
