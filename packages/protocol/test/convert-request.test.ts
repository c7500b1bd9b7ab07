import { describe, expect, it } from 'vitest';
import {
  canonicalToLegacyRequest,
  canonicalToStepsInteraction,
  canonicalToStepsRequest,
  type LegacyCreateRequest,
  legacyRequestToCanonical,
  type StepsCreateRequest,
  stepsInteractionToCanonical,
  stepsRequestToCanonical,
} from '../src/index.ts';

const legacyThroughSteps = (req: LegacyCreateRequest) =>
  canonicalToLegacyRequest(stepsRequestToCanonical(canonicalToStepsRequest(legacyRequestToCanonical(req))));
const stepsThroughLegacy = (req: StepsCreateRequest) =>
  canonicalToStepsRequest(legacyRequestToCanonical(canonicalToLegacyRequest(stepsRequestToCanonical(req))));

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'number' } },
  required: ['city'],
};

/** Legacy requests that must survive legacy → canonical → steps → canonical → legacy unchanged. */
const LEGACY_REQUESTS: Record<string, LegacyCreateRequest> = {
  'structured output, tools, unknown field': {
    model: 'gemini-3-flash-preview',
    input: [{ type: 'text', text: 'Weather in Paris?' }],
    system_instruction: 'Be brief.',
    tools: [
      { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } },
      { type: 'computer_use', environment: 'browser', excludedPredefinedFunctions: ['drag_and_drop'] },
      { type: 'google_search' },
    ],
    generation_config: { temperature: 0.2, thinking_level: 'low', tool_choice: 'auto' },
    response_format: weatherSchema,
    response_mime_type: 'application/json',
    stream: true,
    store: false,
    service_tier: 'flex',
    future_field: { anything: [1, 2] },
  },
  'image output with modalities and image_config': {
    model: 'gemini-3-pro-image-preview',
    input: [{ type: 'text', text: 'A cat' }],
    response_modalities: ['text', 'image'],
    generation_config: { image_config: { aspect_ratio: '16:9', image_size: '2K' }, seed: 7 },
  },
  'image_config only': {
    model: 'gemini-3-pro-image-preview',
    input: [{ type: 'text', text: 'A dog' }],
    generation_config: { image_config: { aspect_ratio: '1:1' } },
  },
  'modalities only': {
    model: 'gemini-2.5-flash-preview-tts',
    input: [{ type: 'text', text: 'Say hi' }],
    response_modalities: ['audio'],
  },
  'stateless history with tool context': {
    model: 'gemini-3-flash-preview',
    input: [
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'model',
        content: [
          { type: 'thought', signature: 'sig' },
          { type: 'function_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'function_result', call_id: 'c1', name: 'get_weather', result: 'sunny' }],
      },
    ],
  },
  'deep research agent': {
    agent: 'deep-research-preview-04-2026',
    input: [{ type: 'text', text: 'Research X' }],
    agent_config: { type: 'deep-research', thinking_summaries: 'auto', collaborative_planning: true },
    background: true,
    store: true,
    previous_interaction_id: 'v1_prev',
    webhook_config: { uris: ['https://example.com/hook'] },
  },
};

describe('request round trip legacy → canonical → steps → canonical → legacy', () => {
  for (const [name, req] of Object.entries(LEGACY_REQUESTS)) {
    it(name, () => expect(legacyThroughSteps(req)).toEqual(req));
  }
});

describe('legacy → steps request mapping', () => {
  it('maps schema + mime type to one text entry and keeps unknown fields', () => {
    const steps = canonicalToStepsRequest(
      legacyRequestToCanonical(LEGACY_REQUESTS['structured output, tools, unknown field']!),
    );
    expect(steps.response_format).toEqual({
      type: 'text',
      mime_type: 'application/json',
      schema: weatherSchema,
    });
    expect(steps.response_mime_type).toBeUndefined();
    expect(steps.future_field).toEqual({ anything: [1, 2] });
    expect(steps.tools?.[1]).toEqual({
      type: 'computer_use',
      environment: 'browser',
      excluded_predefined_functions: ['drag_and_drop'],
    });
    expect(steps.input).toEqual([
      { type: 'user_input', content: [{ type: 'text', text: 'Weather in Paris?' }] },
    ]);
  });

  it('maps modalities + image_config to a list of entries and removes image_config', () => {
    const steps = canonicalToStepsRequest(
      legacyRequestToCanonical(LEGACY_REQUESTS['image output with modalities and image_config']!),
    );
    expect(steps.response_format).toEqual([
      { type: 'text' },
      { type: 'image', aspect_ratio: '16:9', image_size: '2K' },
    ]);
    expect(steps.generation_config).toEqual({ seed: 7 });
  });

  it('puts the canonical output format in one place', () => {
    const canonical = legacyRequestToCanonical(
      LEGACY_REQUESTS['image output with modalities and image_config']!,
    );
    expect(canonical.output_format).toEqual({
      modalities: ['text', 'image'],
      options: { image: { aspect_ratio: '16:9', image_size: '2K' } },
    });
    expect(canonical.generation_config).toEqual({ seed: 7 });
  });

  it('lower-cases modalities (normalized)', () => {
    const req: LegacyCreateRequest = { model: 'm', input: 'x', response_modalities: ['TEXT', 'IMAGE'] };
    expect(legacyThroughSteps(req).response_modalities).toEqual(['text', 'image']);
  });

  it('turns a string input into one text content (normalized)', () => {
    expect(legacyThroughSteps({ model: 'm', input: 'Hello' }).input).toEqual([
      { type: 'text', text: 'Hello' },
    ]);
  });
});

describe('steps request round trip steps → canonical → legacy → canonical → steps', () => {
  const cases: Record<string, StepsCreateRequest> = {
    'entries list': {
      model: 'gemini-3-pro-image-preview',
      input: [{ type: 'user_input', content: [{ type: 'text', text: 'A cat' }] }],
      response_format: [
        { type: 'text', mime_type: 'application/json', schema: weatherSchema },
        { type: 'image', aspect_ratio: '4:3', image_size: '1K' },
      ],
    },
    'single image entry': {
      model: 'gemini-3-pro-image-preview',
      input: [{ type: 'user_input', content: [{ type: 'text', text: 'A cat' }] }],
      response_format: { type: 'image', aspect_ratio: '4:3' },
    },
    'steps-only fields and snake_case tools': {
      agent: 'antigravity-preview-05-2026',
      input: [{ type: 'user_input', content: [{ type: 'text', text: 'Fix the bug' }] }],
      environment: 'remote',
      labels: { team: 'a' },
      safety_settings: [{ type: 'harassment', threshold: 'block_none' }],
      tools: [{ type: 'computer_use', excluded_predefined_functions: ['open_web_browser'] }],
      agent_config: { type: 'antigravity' },
    },
  };
  for (const [name, req] of Object.entries(cases)) {
    it(name, () => expect(stepsThroughLegacy(req)).toEqual(req));
  }

  it('reads the legacy form and deprecated fields of a steps request', () => {
    const canonical = stepsRequestToCanonical({
      model: 'm',
      input: 'x',
      response_format: weatherSchema,
      response_mime_type: 'application/json',
      generation_config: { image_config: { aspect_ratio: '1:1' } },
      tools: [{ type: 'computer_use', excludedPredefinedFunctions: ['a'] }],
    });
    expect(canonical.output_format).toEqual({
      schema: weatherSchema,
      mime_type: 'application/json',
      options: { image: { aspect_ratio: '1:1' } },
      image_config_origin: 'generation_config',
    });
    expect(canonical.generation_config).toBeUndefined();
    expect(canonical.tools).toEqual([{ type: 'computer_use', excluded_predefined_functions: ['a'] }]);
  });

  it('gives generation_config.image_config back where a steps client sent it (request and resource)', () => {
    const sent = {
      model: 'm',
      input: 'draw a cat',
      generation_config: { temperature: 0.5, image_config: { aspect_ratio: '16:9', image_size: '2K' } },
    };
    const canonical = stepsRequestToCanonical(sent);
    expect(canonicalToStepsRequest(canonical)).toEqual({
      ...sent,
      input: [{ type: 'user_input', content: [{ type: 'text', text: 'draw a cat' }] }],
    });
    const resource = canonicalToStepsInteraction({
      ...canonical,
      id: 'v1_x',
      status: 'completed',
      output: [],
    });
    expect(resource.generation_config).toEqual(sent.generation_config);
    expect(resource.response_format).toBeUndefined();
    // Read back by a client, it stays there.
    const again = stepsInteractionToCanonical(resource);
    expect(canonicalToStepsInteraction(again).generation_config).toEqual(sent.generation_config);
    // Image options given in response_format stay in response_format.
    const entry = stepsRequestToCanonical({
      model: 'm',
      input: 'x',
      response_format: { type: 'image', aspect_ratio: '1:1' },
    });
    expect(canonicalToStepsRequest(entry).response_format).toEqual({ type: 'image', aspect_ratio: '1:1' });
    expect(canonicalToStepsRequest(entry).generation_config).toBeUndefined();
  });
});
