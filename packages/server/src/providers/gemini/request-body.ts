/**
 * A `streamGenerateContent` request body from an Interactions request: `contents`, `systemInstruction`,
 * `tools` (function declarations, and Gemini's own `googleSearch` / `codeExecution` / `urlContext`),
 * `toolConfig`, and `generationConfig` — sampling, `thinking_level` → `thinkingConfig`, structured output,
 * `response_modalities` with `imageConfig` and `speechConfig` (one voice, or several speakers).
 *
 * Function parameters go as `parametersJsonSchema`: Gemini reads JSON Schema there as it is, so a client's
 * schema (already converted by @interplay/core's `toGeminiSchema` when it comes from our framework) is not
 * converted a second time, lossily, into the older OpenAPI subset.
 */
import {
  type GenerationConfig,
  InteractionsError,
  type OutputFormat,
  type ToolChoice,
} from '@interplay/protocol';
import type { FunctionSpec } from '../shared/builtin-functions.ts';
import type { GeminiContent } from './contents.ts';

/** Interactions built-in tool types → Gemini's own tool. */
export const GEMINI_BUILTINS: Record<string, string> = {
  google_search: 'googleSearch',
  code_execution: 'codeExecution',
  url_context: 'urlContext',
};

export interface BodyInput {
  contents: GeminiContent[];
  systemInstruction: string | undefined;
  functions: readonly FunctionSpec[];
  /** Gemini built-ins offered (keys of {@link GEMINI_BUILTINS}), in request order. */
  builtins: readonly string[];
  generationConfig: GenerationConfig | undefined;
  outputFormat: OutputFormat | undefined;
  thinking: 'level' | 'budget';
}

export function requestBody(input: BodyInput): Record<string, unknown> {
  const body: Record<string, unknown> = { contents: input.contents };
  if (input.systemInstruction) body.systemInstruction = { parts: [{ text: input.systemInstruction }] };
  const tools: Record<string, unknown>[] = [];
  if (input.functions.length > 0) {
    tools.push({
      functionDeclarations: input.functions.map((f) => ({
        name: f.name,
        description: f.description,
        parametersJsonSchema: f.parameters,
      })),
    });
  }
  for (const type of input.builtins) tools.push({ [GEMINI_BUILTINS[type]!]: {} });
  if (tools.length > 0) body.tools = tools;
  const config = input.generationConfig ?? {};
  if (input.functions.length > 0) {
    const calling = functionCallingConfig(config.tool_choice as ToolChoice | undefined);
    if (calling) body.toolConfig = { functionCallingConfig: calling };
  }
  const generation = generationConfig(config, input.outputFormat, input.thinking);
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  return body;
}

function generationConfig(
  config: GenerationConfig,
  format: OutputFormat | undefined,
  thinking: 'level' | 'budget',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof config.temperature === 'number') out.temperature = config.temperature;
  if (typeof config.top_p === 'number') out.topP = config.top_p;
  if (typeof config.max_output_tokens === 'number') out.maxOutputTokens = config.max_output_tokens;
  if (typeof config.seed === 'number') out.seed = config.seed;
  if (Array.isArray(config.stop_sequences) && config.stop_sequences.length > 0)
    out.stopSequences = config.stop_sequences;
  const thinkingConfig = thinkingOf(config, thinking);
  if (thinkingConfig) out.thinkingConfig = thinkingConfig;
  if (format?.schema) {
    out.responseMimeType = 'application/json';
    out.responseJsonSchema = format.schema;
  } else if (format?.mime_type) {
    out.responseMimeType = format.mime_type;
  }
  // Steps' single entry (`response_format: {type: "image"}`) asks for that modality without listing it.
  const modalities = format?.modalities ?? Object.keys(format?.options ?? {}).filter((m) => m !== 'text');
  if (modalities?.length && !(modalities.length === 1 && modalities[0] === 'text')) {
    out.responseModalities = modalities.map((m) => m.toUpperCase());
  }
  const image = imageConfig(format?.options?.image);
  if (image) out.imageConfig = image;
  const speech = speechConfig(config.speech_config);
  if (speech) out.speechConfig = speech;
  return out;
}

const BUDGETS: Record<string, number> = { minimal: 0, low: 1_024, medium: 8_192, high: 24_576 };

function thinkingOf(config: GenerationConfig, mode: 'level' | 'budget'): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const level = config.thinking_level;
  if (typeof level === 'string') {
    if (mode === 'level') out.thinkingLevel = level;
    else if (level in BUDGETS) out.thinkingBudget = BUDGETS[level];
  }
  if (config.thinking_summaries === 'auto') out.includeThoughts = true;
  else if (config.thinking_summaries === 'none') out.includeThoughts = false;
  return Object.keys(out).length > 0 ? out : undefined;
}

function imageConfig(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!options) return undefined;
  const out: Record<string, unknown> = {};
  if (typeof options.aspect_ratio === 'string') out.aspectRatio = options.aspect_ratio;
  // Gemini spells sizes "1K", "2K", "4K"; the seeds write "2k".
  if (typeof options.image_size === 'string') out.imageSize = options.image_size.toUpperCase();
  return Object.keys(out).length > 0 ? out : undefined;
}

interface Speech {
  voice?: string;
  language?: string;
  speaker?: string;
}

/**
 * `speech_config` (one object, a list, or `{speakers}`) → `speechConfig`: one entry is one voice; several are
 * a multi-speaker config, each with the speaker name the prompt uses.
 */
function speechConfig(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const list: Speech[] = Array.isArray(value)
    ? (value as Speech[])
    : typeof value === 'object' && Array.isArray((value as { speakers?: unknown }).speakers)
      ? ((value as { speakers: Speech[] }).speakers ?? [])
      : [value as Speech];
  if (list.length === 0) return undefined;
  const language = list.find((s) => typeof s.language === 'string')?.language;
  const out: Record<string, unknown> = language ? { languageCode: language } : {};
  if (list.length === 1) {
    const voice = list[0]!.voice;
    if (voice) out.voiceConfig = voiceConfig(voice);
    return Object.keys(out).length > 0 ? out : undefined;
  }
  out.multiSpeakerVoiceConfig = {
    speakerVoiceConfigs: list.map((s, i) => {
      if (!s.speaker || !s.voice) {
        throw new InteractionsError(
          'invalid_request',
          `'generation_config.speech_config[${i}]': with several speakers, each needs a 'speaker' and a 'voice'.`,
          { field: `generation_config.speech_config[${i}]` },
        );
      }
      return { speaker: s.speaker, voiceConfig: voiceConfig(s.voice) };
    }),
  };
  return out;
}

/** Gemini's prebuilt voices are capitalized (`Kore`, `Puck`); the seeds write `kore`. */
function voiceConfig(voice: string): Record<string, unknown> {
  const name = voice.charAt(0).toUpperCase() + voice.slice(1);
  return { prebuiltVoiceConfig: { voiceName: name } };
}

/** Interactions `tool_choice` → `functionCallingConfig` (`auto` / `any` / `none` / `validated`, allowed names). */
function functionCallingConfig(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  if (choice === undefined) return undefined;
  const mode = (m: string | undefined) => (m ?? 'auto').toUpperCase();
  if (typeof choice === 'string') return { mode: mode(choice) };
  const { mode: m, tools } = choice.allowed_tools ?? {};
  return { mode: mode(m), ...(tools?.length ? { allowedFunctionNames: tools } : {}) };
}
