/**
 * The scripted model behind the HTTP tests. A scripted model cannot read tool results, so where a flow must
 * branch on one (the invalid-arguments retry) the rule looks at the tools on offer, which the test's
 * `prepareStep` varies.
 */
export const SCRIPT = {
  rules: [
    { name: 'structured', when: { schema: true }, respond: [{ type: 'json' }] },
    {
      name: 'weather',
      when: { input: 'weather in (?<city>\\w+)', tools: ['get_weather'], last: 'user_input' },
      respond: [
        { type: 'thought', summary: 'The user wants the weather.', signature: 'sig-weather' },
        { type: 'function_call', name: 'get_weather', arguments: { location: '{{city}}' } },
      ],
    },
    {
      name: 'three cities',
      when: { input: 'three cities', last: 'user_input' },
      respond: ['Paris', 'Tokyo', 'Lima'].map((city) => ({
        type: 'function_call',
        name: 'get_weather',
        arguments: { location: city },
      })),
    },
    {
      name: 'schedule (client state)',
      when: { input: 'schedule a meeting', tools: ['schedule_meeting'], last: 'user_input' },
      respond: [
        { type: 'thought', summary: 'Scheduling.', signature: 'sig-meeting' },
        {
          type: 'function_call',
          name: 'schedule_meeting',
          arguments: {
            attendees: ['Peter', 'Amir'],
            date: '2025-11-01',
            time: '10:00',
            topic: 'Next Gen API',
          },
        },
      ],
    },
    {
      name: 'throwing tool',
      when: { input: 'check the database', last: 'user_input' },
      respond: [{ type: 'function_call', name: 'check_database', arguments: {} }],
    },
    {
      name: 'sloppy call',
      when: { input: 'sloppy weather', last: 'user_input' },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: 42 } }],
    },
    {
      name: 'sloppy: answer once the good call came back',
      when: { input: 'sloppy weather', last: 'function_result', tools: ['get_forecast'] },
      respond: 'Fixed: {{last.result}}',
    },
    {
      name: 'sloppy: retry after the error',
      when: { input: 'sloppy weather', last: 'function_result' },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: 'Paris' } }],
    },
    {
      name: 'endless',
      when: { input: 'keep going', last: ['user_input', 'function_result'] },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: 'Paris' } }],
    },
    {
      name: 'approval',
      when: { input: 'delete (?<path>\\S+)', last: 'user_input' },
      respond: [{ type: 'function_call', name: 'delete_file', arguments: { path: '{{path}}' } }],
    },
    {
      name: 'slow',
      when: { input: 'slow job', last: 'user_input' },
      respond: [{ type: 'function_call', name: 'slow_job', arguments: {} }],
    },
    {
      name: 'after a result',
      when: { last: 'function_result' },
      respond: 'Here is what I found: {{last.result}}',
    },
    { name: 'fallback', respond: 'I have no scripted answer for: {{input}}' },
  ],
};
