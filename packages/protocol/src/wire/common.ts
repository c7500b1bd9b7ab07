/**
 * Types shared by both wire revisions of the Interactions API.
 * Field names are the wire's own (snake_case) so values pass through without renaming.
 */

/**
 * Every status either revision can report. `budget_exceeded`, `queued`, `idle`, `requires_continuation` are
 * steps-era (SDK 3.6). A client may still meet a status newer than this list: parsed leniently it is kept as
 * the string it is, and `wait` loops treat it as not settled yet.
 */
export type InteractionStatus =
  | 'queued'
  | 'idle'
  | 'in_progress'
  | 'requires_action'
  | 'requires_continuation'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'incomplete'
  | 'budget_exceeded';

export const INTERACTION_STATUSES: readonly InteractionStatus[] = [
  'queued',
  'idle',
  'in_progress',
  'requires_action',
  'requires_continuation',
  'completed',
  'failed',
  'cancelled',
  'incomplete',
  'budget_exceeded',
];

/** Statuses after which an interaction never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<InteractionStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'incomplete',
  'budget_exceeded',
]);

export const isTerminalStatus = (status: InteractionStatus): boolean => TERMINAL_STATUSES.has(status);

export type Modality = 'text' | 'image' | 'audio' | 'video' | 'document';

export interface ModalityTokens {
  modality?: Modality | (string & {});
  tokens?: number;
  [extra: string]: unknown;
}

export interface Usage {
  total_input_tokens?: number;
  total_cached_tokens?: number;
  total_output_tokens?: number;
  total_thought_tokens?: number;
  total_tool_use_tokens?: number;
  total_tokens?: number;
  initial_input_tokens?: number;
  input_tokens_by_modality?: ModalityTokens[];
  cached_tokens_by_modality?: ModalityTokens[];
  output_tokens_by_modality?: ModalityTokens[];
  tool_use_tokens_by_modality?: ModalityTokens[];
  grounding_tool_count?: { type?: string; count?: number; [extra: string]: unknown }[];
  [extra: string]: unknown;
}

export interface UrlCitation {
  type: 'url_citation';
  url?: string;
  title?: string;
  start_index?: number;
  end_index?: number;
  [extra: string]: unknown;
}
export interface FileCitation {
  type: 'file_citation';
  document_uri?: string;
  file_name?: string;
  source?: string;
  start_index?: number;
  end_index?: number;
  custom_metadata?: unknown;
  media_id?: string;
  page_number?: number;
  [extra: string]: unknown;
}
export interface PlaceCitation {
  type: 'place_citation';
  place_id?: string;
  name?: string;
  url?: string;
  review_snippets?: { title?: string; url?: string; review_id?: string; [extra: string]: unknown }[];
  start_index?: number;
  end_index?: number;
  [extra: string]: unknown;
}
export interface SpeechMetadataAnnotation {
  type: 'speech_metadata';
  speaker?: string;
  style?: string;
  start_index?: number;
  end_index?: number;
  [extra: string]: unknown;
}
export interface WordInfoAnnotation {
  type: 'word_info';
  text?: string;
  start_offset?: string | number;
  end_offset?: string | number;
  speaker?: string;
  start_index?: number;
  end_index?: number;
  [extra: string]: unknown;
}
export type Annotation =
  | UrlCitation
  | FileCitation
  | PlaceCitation
  | SpeechMetadataAnnotation
  | WordInfoAnnotation;

/** The body of every error response and of the stream's `error` event. */
export interface ErrorBody {
  code: string;
  message: string;
  [extra: string]: unknown;
}
export interface ErrorEnvelope {
  error: ErrorBody;
}
