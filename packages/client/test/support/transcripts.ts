/**
 * Recorded SSE transcripts served by the fake API: the protocol package's recorded fixtures, plus a few
 * built from the reference (§3.9, §4.6) so each scenario the client tests need exists in both revisions.
 */
import type { Revision } from '@interplay/protocol';

export interface Transcript {
  name: string;
  revision: Revision;
  text: string;
}

const frame = (data: Record<string, unknown>) =>
  `event: ${data.event_type}\ndata: ${JSON.stringify(data)}\n\n`;
const DONE = 'event: done\ndata: [DONE]\n\n';

const stepsStory: Transcript = {
  name: 'client-steps-story',
  revision: 'steps',
  text:
    [
      {
        event_type: 'interaction.created',
        interaction: {
          id: 'v1_rec',
          status: 'in_progress',
          object: 'interaction',
          model: 'gemini-3.6-flash',
        },
      },
      { event_type: 'interaction.status_update', interaction_id: 'v1_rec', status: 'in_progress' },
      {
        event_type: 'step.start',
        index: 0,
        step: {
          type: 'thought',
          signature: '',
          summary: [{ type: 'text', text: '**Evaluating** ünïcødé ✓' }],
        },
      },
      {
        event_type: 'step.delta',
        index: 0,
        delta: { type: 'thought_signature', signature: 'EpoGCpcGAXLI2nx' },
      },
      { event_type: 'step.stop', index: 0 },
      {
        event_type: 'step.start',
        index: 1,
        step: { type: 'model_output', content: [{ type: 'text', text: 'Once upon a time, ' }] },
      },
      ...['in a valley 🌄 ', 'there lived ', 'a fox ', 'who counted ', 'stars. ', 'The end.'].map((text) => ({
        event_type: 'step.delta',
        index: 1,
        delta: { type: 'text', text },
      })),
      { event_type: 'step.stop', index: 1 },
      {
        event_type: 'interaction.completed',
        interaction: {
          id: 'v1_rec',
          status: 'completed',
          usage: { total_tokens: 530, total_input_tokens: 62, total_output_tokens: 171 },
        },
      },
    ]
      .map(frame)
      .join('') + DONE,
};

const legacyStory: Transcript = {
  name: 'client-legacy-story',
  revision: 'legacy',
  text:
    [
      {
        event_type: 'interaction.start',
        interaction: {
          id: 'v1_rec',
          model: 'gemini-3-flash-preview',
          object: 'interaction',
          status: 'in_progress',
        },
      },
      { event_type: 'interaction.status_update', interaction_id: 'v1_rec', status: 'in_progress' },
      { event_type: 'content.start', content: { type: 'thought' }, index: 0 },
      { event_type: 'content.delta', delta: { type: 'thought_signature', signature: 'sig-abc' }, index: 0 },
      { event_type: 'content.stop', index: 0 },
      { event_type: 'content.start', content: { type: 'text' }, index: 1 },
      ...['Elara’s life ', 'was quiet, ', 'until the 🌊 ', 'came. ', 'Fin.'].map((text) => ({
        event_type: 'content.delta',
        delta: { type: 'text', text },
        index: 1,
      })),
      { event_type: 'content.stop', index: 1 },
      {
        event_type: 'interaction.complete',
        interaction: {
          id: 'v1_rec',
          status: 'completed',
          role: 'model',
          object: 'interaction',
          usage: { total_tokens: 49 },
        },
      },
    ]
      .map(frame)
      .join('') + DONE,
};

const stepsFunctionCall: Transcript = {
  name: 'client-steps-function-call',
  revision: 'steps',
  text:
    [
      { event_type: 'interaction.created', interaction: { id: 'v1_rec', status: 'in_progress' } },
      {
        event_type: 'step.start',
        index: 0,
        step: { type: 'function_call', id: 'call_1', name: 'get_weather', arguments: {} },
      },
      { event_type: 'step.delta', index: 0, delta: { type: 'arguments_delta', arguments: '{"location":' } },
      { event_type: 'step.delta', index: 0, delta: { type: 'arguments_delta', arguments: '"Boston"}' } },
      { event_type: 'step.stop', index: 0 },
      { event_type: 'interaction.status_update', interaction_id: 'v1_rec', status: 'requires_action' },
      { event_type: 'interaction.completed', interaction: { id: 'v1_rec', status: 'requires_action' } },
    ]
      .map(frame)
      .join('') + DONE,
};

const legacyFunctionCall: Transcript = {
  name: 'client-legacy-function-call',
  revision: 'legacy',
  text:
    [
      { event_type: 'interaction.start', interaction: { id: 'v1_rec', status: 'in_progress' } },
      { event_type: 'content.start', content: { type: 'function_call' }, index: 0 },
      {
        event_type: 'content.delta',
        index: 0,
        delta: {
          type: 'function_call',
          id: 'call_1',
          name: 'get_weather',
          arguments: { location: 'Boston' },
        },
      },
      { event_type: 'content.stop', index: 0 },
      { event_type: 'interaction.status_update', interaction_id: 'v1_rec', status: 'requires_action' },
      { event_type: 'interaction.complete', interaction: { id: 'v1_rec', status: 'requires_action' } },
    ]
      .map(frame)
      .join('') + DONE,
};

/** The steps story with CRLF line ends and keep-alive comments between frames. */
const stepsCrlf: Transcript = {
  name: 'client-steps-crlf-keepalive',
  revision: 'steps',
  text: stepsStory.text.replace(/\n\n/g, '\n\n: keep-alive\n\n').replace(/\n/g, '\r\n'),
};

export const LOCAL_TRANSCRIPTS: Transcript[] = [
  stepsStory,
  legacyStory,
  stepsFunctionCall,
  legacyFunctionCall,
  stepsCrlf,
];

/** Every transcript: the protocol package's recorded fixtures (when present) first, then the local ones. */
export async function loadTranscripts(): Promise<Transcript[]> {
  let recorded: Transcript[] = [];
  try {
    const path = new URL('../../../protocol/test/fixtures/index.ts', import.meta.url).href;
    const mod = (await import(path)) as { recordedStreams?: Transcript[] };
    recorded = mod.recordedStreams ?? [];
  } catch {
    // fixtures not available
  }
  return [...recorded, ...LOCAL_TRANSCRIPTS];
}
