/**
 * The canonical in-memory model used by @interplay/core and @interplay/server.
 *
 * It is the steps revision's shape, normalized: an interaction is a timeline of `Item`s (steps), input is
 * always a list of items, and the stream is the steps event vocabulary. The steps revision is the richer of
 * the two (it types the timeline), so legacy converts into it and back; see docs/protocol/round-trip.md.
 */
import type { ErrorBody, InteractionStatus, Usage } from './wire/common.ts';
import type { StepsEvent } from './wire/events.ts';
import type { AgentConfig, GenerationConfig, ServiceTier, WebhookConfig } from './wire/request.ts';
import type { Step } from './wire/step.ts';
import type { Tool } from './wire/tool.ts';

/** One entry of an interaction's timeline. */
export type Item = Step;

/**
 * What the caller asked for, independent of revision: legacy `response_mime_type` + `response_format` (a raw
 * JSON Schema) + `response_modalities` + `generation_config.image_config`, or steps `response_format` entries.
 */
export interface OutputFormat {
  /** Text answer's MIME type (`application/json` when a schema is given). */
  mime_type?: string;
  /** JSON Schema the text answer must follow. */
  schema?: Record<string, unknown>;
  /**
   * Output modalities asked for, lower-case, in order (legacy `response_modalities`; steps: the entry types of
   * a `response_format` list). Absent: the model's default.
   */
  modalities?: string[];
  /**
   * Options per modality: a steps entry's fields other than `type` (text's `mime_type`/`schema` live above).
   * `options.image` is legacy `generation_config.image_config` (`aspect_ratio`, `image_size`).
   */
  options?: Record<string, Record<string, unknown>>;
  /**
   * `generation_config`: the image options came as `generation_config.image_config` (deprecated in the steps
   * revision, still sent by clients), so the steps revision gives them back there, not as a `response_format`.
   */
  image_config_origin?: 'generation_config';
  /** A `response_format` that is neither an object nor a list of entries, kept verbatim. */
  raw?: unknown;
}

export interface CanonicalRequest {
  model?: string;
  agent?: string;
  /** Always a list: a string input becomes one `user_input` item. */
  input: Item[];
  system_instruction?: string;
  tools?: Tool[];
  generation_config?: GenerationConfig;
  agent_config?: AgentConfig;
  output_format?: OutputFormat;
  stream?: boolean;
  store?: boolean;
  background?: boolean;
  previous_interaction_id?: string;
  service_tier?: ServiceTier;
  webhook_config?: WebhookConfig;
  /** Fields neither revision names, passed through untouched. */
  extra?: Record<string, unknown>;
}

export interface CanonicalInteraction {
  id: string;
  status: InteractionStatus;
  model?: string;
  agent?: string;
  created?: string;
  updated?: string;
  /** This interaction's own input items (not the inherited history). */
  input?: Item[];
  /** What this interaction produced, in order. */
  output: Item[];
  usage?: Usage;
  previous_interaction_id?: string;
  system_instruction?: string;
  tools?: Tool[];
  generation_config?: GenerationConfig;
  agent_config?: AgentConfig;
  output_format?: OutputFormat;
  service_tier?: string;
  webhook_config?: WebhookConfig;
  errors?: ErrorBody[];
  extra?: Record<string, unknown>;
}

/** The canonical stream vocabulary is the steps revision's. */
export type CanonicalEvent = StepsEvent;
