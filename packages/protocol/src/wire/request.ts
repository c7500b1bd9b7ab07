/** Create-interaction request bodies of both revisions (reference §3.1–3.3 and §4.1). */
import type { Content, MediaContent, Turn } from './content.ts';
import type { Step } from './step.ts';
import type { Tool, ToolChoice } from './tool.ts';

export type ThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';
export type ServiceTier = 'flex' | 'standard' | 'priority' | 'deferred';

export interface SpeechConfig {
  voice?: string;
  language?: string;
  speaker?: string;
  [extra: string]: unknown;
}
export interface ImageConfig {
  aspect_ratio?: string;
  image_size?: string;
  [extra: string]: unknown;
}
export interface GenerationConfig {
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop_sequences?: string[];
  max_output_tokens?: number;
  thinking_level?: ThinkingLevel;
  thinking_summaries?: 'auto' | 'none';
  /** One config, a list (multi-speaker), or (steps era) `{speakers: [...]}`. */
  speech_config?: SpeechConfig | SpeechConfig[] | { speakers?: SpeechConfig[]; [extra: string]: unknown };
  image_config?: ImageConfig;
  tool_choice?: ToolChoice;
  transcription_config?: Record<string, unknown>;
  video_config?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface DynamicAgentConfig {
  type: 'dynamic';
  [extra: string]: unknown;
}
export interface DeepResearchAgentConfig {
  type: 'deep-research';
  thinking_summaries?: 'auto' | 'none';
  visualization?: 'auto' | 'off';
  collaborative_planning?: boolean;
  enable_bigquery_tool?: boolean;
  [extra: string]: unknown;
}
export interface OtherAgentConfig {
  type: 'antigravity' | 'code-mender';
  [extra: string]: unknown;
}
export type AgentConfig = DynamicAgentConfig | DeepResearchAgentConfig | OtherAgentConfig;

export interface WebhookConfig {
  uris?: string[];
  user_metadata?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** Steps-era polymorphic output format entry. */
export interface ResponseFormatEntry {
  type: 'text' | 'image' | 'audio' | 'video';
  mime_type?: string;
  schema?: Record<string, unknown>;
  [extra: string]: unknown;
}

interface CreateRequestBase {
  model?: string;
  agent?: string;
  system_instruction?: string;
  tools?: Tool[];
  generation_config?: GenerationConfig;
  agent_config?: AgentConfig;
  stream?: boolean;
  store?: boolean;
  background?: boolean;
  previous_interaction_id?: string;
  service_tier?: ServiceTier;
  webhook_config?: WebhookConfig;
  [extra: string]: unknown;
}

/** Legacy ("outputs") create body. */
export interface LegacyCreateRequest extends CreateRequestBase {
  input: string | Content | Content[] | Turn[];
  /** A raw JSON Schema. */
  response_format?: Record<string, unknown>;
  response_mime_type?: string;
  response_modalities?: string[];
}

/** Steps-era create body. */
export interface StepsCreateRequest extends CreateRequestBase {
  input: string | MediaContent | MediaContent[] | Step[];
  response_format?: ResponseFormatEntry | ResponseFormatEntry[] | Record<string, unknown>;
  /** Deprecated in the steps era, still accepted. */
  response_mime_type?: string;
  response_modalities?: string[];
  environment?: unknown;
  labels?: Record<string, string>;
  safety_settings?: { type: string; threshold: string; method?: string; [extra: string]: unknown }[];
  continuation_token?: string;
  cached_content?: string;
}
