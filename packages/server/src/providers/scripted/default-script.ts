/**
 * The built-in script: answers the seed documents' examples sensibly offline. Order matters (first match wins):
 * tool calls on a fresh user turn, then structured output, then answers to tool results, then conversation.
 * Tool-call rules say `last: user_input` so they do not fire again once their result is in.
 */
import { DEEP_RESEARCH_RULES } from '../../agents/deep-research/script.ts';
import type { ScriptInput } from './script.ts';

const LOCATION = 'weather.*?\\bin (?<location>[a-z][^?.!,]*?)(?:\\s+(?:today|now|tomorrow))?\\s*[?.!]*$';
const SCRIPTED = 'This offline model is scripted, so it cannot really perceive it';

export const DEFAULT_SCRIPT: ScriptInput = {
  description: 'Interplay default script: sensible offline answers for the seed examples.',
  rules: [
    // The deep-research agent's planning and synthesis prompts (they are specific, so they go first).
    ...DEEP_RESEARCH_RULES,
    // ---- server and client tool calls, on a fresh user turn ---------------------------------------
    {
      name: 'weather function',
      when: { input: LOCATION, tools: ['get_weather'], last: 'user_input' },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: '{{location}}' } }],
    },
    {
      name: 'schedule a meeting',
      when: {
        input:
          'schedule a meeting (?:for|on) (?<date>\\d{4}-\\d{2}-\\d{2}) at (?<time>[^,]+?) with (?<first>\\w+) and (?<second>\\w+) about (?:the )?(?<topic>[^.]+)',
        tools: ['schedule_meeting'],
        last: 'user_input',
      },
      respond: [
        {
          type: 'function_call',
          name: 'schedule_meeting',
          arguments: {
            attendees: ['{{first}}', '{{second}}'],
            date: '{{date}}',
            time: '{{time}}',
            topic: '{{topic}}',
          },
        },
      ],
    },
    {
      name: 'weather over hosted MCP',
      when: { input: LOCATION, tools: ['weather_service'], last: 'user_input' },
      respond: [
        {
          type: 'mcp_server_tool_call',
          server_name: 'weather_service',
          name: 'get_weather',
          arguments: { location: '{{location}}' },
        },
      ],
    },
    {
      name: 'n-th Fibonacci number with code execution',
      when: { input: '(?<n>\\d+)(?:st|nd|rd|th)? fibonacci', tools: ['code_execution'], last: 'user_input' },
      respond: [
        {
          type: 'code_execution_call',
          arguments: {
            language: 'python',
            code: 'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint(fib({{n}}))',
          },
        },
      ],
    },
    {
      name: 'read a URL',
      when: {
        input: '(?<url>https?://[^\\s)>\\]]*[^\\s)>\\].,;:!?\'"])',
        tools: ['url_context'],
        last: 'user_input',
      },
      respond: [{ type: 'url_context_call', arguments: { urls: ['{{url}}'] } }],
    },
    {
      // Computer actions are client-side function calls (the Gemini computer-use predefined functions).
      name: 'computer use',
      when: { tools: ['computer_use'], last: 'user_input' },
      respond: [
        { type: 'text', text: 'I will start by opening a browser.' },
        { type: 'function_call', name: 'open_web_browser', arguments: {} },
      ],
    },
    {
      name: 'search',
      when: { tools: ['google_search'], last: 'user_input' },
      respond: [{ type: 'google_search_call', arguments: { queries: ['{{input}}'] } }],
    },

    // ---- structured output: a minimal valid instance of output_format.schema ----------------------
    { name: 'structured output', when: { schema: true }, respond: [{ type: 'json' }] },

    // ---- answers to tool results ------------------------------------------------------------------
    {
      name: 'code execution result',
      when: { last: 'code_execution_result' },
      respond: 'I ran the code; it printed: {{last.result}}',
    },
    {
      name: 'url context result',
      when: { last: 'url_context_result' },
      respond:
        'I read {{last.result.0.url}} (status: {{last.result.0.status}}), titled "{{last.result.0.title}}". This offline model is scripted, so it cannot summarize the page itself.',
    },
    {
      name: 'search results',
      when: { last: 'google_search_result' },
      // result.0 is the search_suggestions entry: the top hit is result.1.
      respond: 'According to {{last.result.1.title}} ({{last.result.1.url}}): {{last.result.1.snippet}}',
    },
    {
      name: 'other tool results',
      when: {
        last: [
          'function_result',
          'mcp_server_tool_result',
          'file_search_result',
          'google_maps_result',
          'retrieval_result',
        ],
      },
      respond: 'Here is what I found: {{last.result}}',
    },

    // ---- media in the input -----------------------------------------------------------------------
    {
      when: { has: ['image'] },
      respond: `I received your image. ${SCRIPTED}; connect a real model to describe it.`,
    },
    {
      when: { has: ['audio'] },
      respond: `I received your audio. ${SCRIPTED}; connect a real model to transcribe it.`,
    },
    {
      when: { has: ['video'] },
      respond: `I received your video. ${SCRIPTED}; connect a real model to summarize it.`,
    },
    {
      when: { has: ['document'] },
      respond: `I received your document. ${SCRIPTED}; connect a real model to summarize it.`,
    },

    // ---- conversation -----------------------------------------------------------------------------
    {
      name: 'introduction',
      when: { input: '\\bmy name is (?<name>\\w+)' },
      respond: 'Nice to meet you, {{name}}! How can I help you today?',
    },
    {
      name: 'name recall',
      when: { input: "what(?:'s| is) my name", history: '\\bmy name is (?<name>\\w+)' },
      respond: 'Your name is {{name}}.',
    },
    { when: { input: "what(?:'s| is) my name" }, respond: "You haven't told me your name yet." },
    {
      name: 'image generation',
      when: {
        input:
          '(?:generate|create|draw|make) (?:an? )?(?:image|picture|photo|drawing) of (?<subject>[^.!?]+)',
      },
      respond: [{ type: 'text', text: 'Here is a (placeholder) image of {{subject}}.' }, { type: 'image' }],
    },
    { name: 'speech', when: { input: '^\\s*(?:say|tts)\\b' }, respond: [{ type: 'audio' }] },
    {
      name: 'step by step with a thought',
      when: { input: '15% of 240' },
      respond: [
        {
          type: 'thought',
          summary: '**Computing the percentage**\n\n15% is 0.15, and 0.15 × 240 = 36.',
        },
        {
          type: 'text',
          text: '15% of 240 is 36.\n\n1. Write 15% as a decimal: 0.15.\n2. Multiply: 0.15 × 240 = 36.',
        },
      ],
    },
    {
      when: { input: '\\bjokes?\\b' },
      respond: 'Why do programmers prefer dark mode? Because light attracts bugs.',
    },
    {
      when: { input: '\\bstory\\b' },
      respond:
        'Sir Aldric rode out at dawn to face the dragon that had scorched the valley. ' +
        'Instead of a sword, he carried bread and water, and found the beast wounded and afraid. ' +
        'He tended its wing, and from that day the dragon guarded the valley it once burned.',
    },
    {
      when: { input: 'quantum entanglement' },
      respond:
        'Quantum entanglement links two particles so that measuring one tells you about the other, ' +
        'however far apart they are. It is like a pair of gloves shipped in separate boxes: open one, ' +
        'see a left glove, and you know the other is right. The quantum twist is that neither glove ' +
        'had a definite hand until one box was opened.',
    },
    {
      when: { input: 'largest cities in spain' },
      respond: 'The three largest cities in Spain are Madrid, Barcelona, and Valencia.',
    },
    {
      when: { input: 'landmark.*second', history: 'Madrid, Barcelona' },
      respond:
        'The most famous landmark in Barcelona is the Sagrada Família, the basilica designed by Antoni Gaudí.',
    },
    {
      when: { input: '^\\s*(?:hi|hello|hey)\\b' },
      respond: 'Hello! I am the Interplay scripted model. Ask me for a joke, or give me a tool to call.',
    },
    { name: 'fallback', respond: 'I have no scripted answer for: {{input}}' },
  ],
};
