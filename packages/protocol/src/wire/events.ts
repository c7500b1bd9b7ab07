/** Streaming (SSE) events of both revisions. Every event may carry `event_id`, the resume cursor. */
import type { Annotation, ErrorBody, InteractionStatus, Usage } from './common.ts';
import type { Content, ImageContent, TextContent } from './content.ts';
import type { LegacyInteraction, StepsInteraction } from './interaction.ts';
import type { Step } from './step.ts';

/** The `content.delta` / `step.delta` payloads both revisions share: a media part, a thought's summary or signature. */
export type MediaOrThoughtDelta =
  | {
      type: 'image' | 'audio' | 'document' | 'video';
      data?: string;
      uri?: string;
      mime_type?: string;
      [extra: string]: unknown;
    }
  | { type: 'thought_summary'; content?: TextContent | ImageContent; [extra: string]: unknown }
  | { type: 'thought_signature'; signature?: string; [extra: string]: unknown };

interface EventBase {
  event_id?: string;
  [extra: string]: unknown;
}

// ---- legacy ("outputs") revision -------------------------------------------------------------

/** Legacy `content.delta` payloads. Tool deltas carry the complete content (not partial). */
export type LegacyDelta =
  | { type: 'text'; text: string; annotations?: Annotation[]; [extra: string]: unknown }
  | MediaOrThoughtDelta
  | { type: 'text_annotation'; annotations?: Annotation[]; [extra: string]: unknown }
  | Exclude<Content, { type: 'text' | 'image' | 'audio' | 'document' | 'video' | 'thought' }>;

export interface LegacyInteractionStartEvent extends EventBase {
  event_type: 'interaction.start';
  interaction: Partial<LegacyInteraction> & { id: string };
}
export interface LegacyStatusUpdateEvent extends EventBase {
  event_type: 'interaction.status_update';
  interaction_id: string;
  status: InteractionStatus;
}
export interface LegacyContentStartEvent extends EventBase {
  event_type: 'content.start';
  index: number;
  content: Partial<Content> & { type: string };
}
export interface LegacyContentDeltaEvent extends EventBase {
  event_type: 'content.delta';
  index: number;
  delta: LegacyDelta;
}
export interface LegacyContentStopEvent extends EventBase {
  event_type: 'content.stop';
  index: number;
}
export interface LegacyInteractionCompleteEvent extends EventBase {
  event_type: 'interaction.complete';
  interaction: Partial<LegacyInteraction> & { id: string };
}
export interface ErrorEvent extends EventBase {
  event_type: 'error';
  error?: Partial<ErrorBody>;
}
export type LegacyEvent =
  | LegacyInteractionStartEvent
  | LegacyStatusUpdateEvent
  | LegacyContentStartEvent
  | LegacyContentDeltaEvent
  | LegacyContentStopEvent
  | LegacyInteractionCompleteEvent
  | ErrorEvent;

// ---- steps revision ----------------------------------------------------------------------------

/** Steps `step.delta` payloads. `arguments_delta` is a fragment of a function call's JSON arguments. */
export type StepDelta =
  | { type: 'text'; text: string; [extra: string]: unknown }
  | MediaOrThoughtDelta
  | { type: 'text_annotation_delta'; annotations?: Annotation[]; [extra: string]: unknown }
  | { type: 'arguments_delta'; arguments?: string; [extra: string]: unknown }
  | { type: 'function_result'; result: unknown; name?: string; is_error?: boolean; [extra: string]: unknown }
  | {
      type:
        | 'code_execution_call'
        | 'code_execution_result'
        | 'url_context_call'
        | 'url_context_result'
        | 'google_search_call'
        | 'google_search_result'
        | 'mcp_server_tool_call'
        | 'mcp_server_tool_result'
        | 'file_search_call'
        | 'file_search_result'
        | 'google_maps_call'
        | 'google_maps_result'
        | 'retrieval_call'
        | 'retrieval_result'
        | 'processing_call'
        | 'processing_result';
      [extra: string]: unknown;
    };

export interface StepsInteractionCreatedEvent extends EventBase {
  event_type: 'interaction.created';
  interaction: Partial<StepsInteraction> & { id: string };
}
export interface StepsStatusUpdateEvent extends EventBase {
  event_type: 'interaction.status_update';
  interaction_id: string;
  status: InteractionStatus;
  usage?: Usage;
}
export interface StepStartEvent extends EventBase {
  event_type: 'step.start';
  index: number;
  step: Step;
}
export interface StepDeltaEvent extends EventBase {
  event_type: 'step.delta';
  index: number;
  delta: StepDelta;
  metadata?: { total_usage?: Usage; [extra: string]: unknown };
}
export interface StepStopEvent extends EventBase {
  event_type: 'step.stop';
  index: number;
  usage?: Usage;
  step_usage?: Usage;
}
export interface StepsInteractionCompletedEvent extends EventBase {
  event_type: 'interaction.completed';
  interaction: Partial<StepsInteraction> & { id: string };
}
export type StepsEvent =
  | StepsInteractionCreatedEvent
  | StepsStatusUpdateEvent
  | StepStartEvent
  | StepDeltaEvent
  | StepStopEvent
  | StepsInteractionCompletedEvent
  | ErrorEvent;

export type InteractionEvent = LegacyEvent | StepsEvent;
export type EventType = InteractionEvent['event_type'];
