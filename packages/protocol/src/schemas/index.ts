/**
 * zod schemas for the whole wire model of both revisions, and a parse API with field paths.
 *
 * The named schemas below are the common picks; `schemasFor(revision, mode)` gives every schema of a
 * revision in either mode (`strict` for requests a server receives, `lenient` for what clients receive).
 *
 * Doc disagreements tolerated in both modes (each is commented where it is implemented):
 * - `image_size` "2k" (seed) or "2K" (reference); `response_modalities` "IMAGE" or "image";
 * - URL-context `status` as `success`, `SUCCESS` or `URL_RETRIEVAL_STATUS_SUCCESS`;
 * - `google_search_result.result` as an array or a single object;
 * - thought `summary` as a list of text/image items or a bare string;
 * - `speech_config` as one object, a list, or `{speakers: [...]}`;
 * - computer_use `excludedPredefinedFunctions` (camelCase) or `excluded_predefined_functions`;
 * - annotations: open union in both modes, untyped SDK 1.33 annotations kept;
 * - steps `response_format` may still be a raw JSON Schema; MIME types are free strings.
 */
import type { z } from 'zod';
import type { Annotation, ErrorEnvelope, Usage } from '../wire/common.ts';
import type { Content, MediaContent, Turn } from '../wire/content.ts';
import type { LegacyDelta, LegacyEvent, StepDelta, StepsEvent } from '../wire/events.ts';
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import type {
  AgentConfig,
  GenerationConfig,
  LegacyCreateRequest,
  StepsCreateRequest,
} from '../wire/request.ts';
import type { Step } from '../wire/step.ts';
import type { Tool } from '../wire/tool.ts';
import { schemasFor } from './build.ts';

export type { CommonSchemas, LegacySchemas, StepsSchemas } from './build.ts';
export { schemasFor } from './build.ts';
export type { SchemaContext, SchemaMode } from './context.ts';
export { describeValue, formatIssuePath, issueMessage, issuesToError } from './issues.ts';
export { type Choice, dispatch, type OpenUnionOptions, openUnion } from './open-union.ts';
export * from './parse.ts';
export { type QuickCheck, quickCheck } from './quick-check.ts';

const legacyStrict = schemasFor('legacy', 'strict');
const legacyLenient = schemasFor('legacy', 'lenient');
const stepsStrict = schemasFor('steps', 'strict');
const stepsLenient = schemasFor('steps', 'lenient');

// Requests: strict.
export const LegacyCreateRequestSchema: z.ZodType<LegacyCreateRequest> = legacyStrict.createRequest;
export const StepsCreateRequestSchema: z.ZodType<StepsCreateRequest> = stepsStrict.createRequest;
export const GenerationConfigSchema: z.ZodType<GenerationConfig> = stepsStrict.generationConfig;
export const AgentConfigSchema: z.ZodType<AgentConfig> = stepsStrict.agentConfig;
export const ToolSchema: z.ZodType<Tool> = stepsStrict.tool;

// Responses and events: lenient.
export const LegacyInteractionSchema: z.ZodType<LegacyInteraction> = legacyLenient.interaction;
export const StepsInteractionSchema: z.ZodType<StepsInteraction> = stepsLenient.interaction;
export const ContentSchema: z.ZodType<Content> = legacyLenient.content;
export const MediaContentSchema: z.ZodType<MediaContent> = stepsLenient.mediaContent;
export const TurnSchema: z.ZodType<Turn> = legacyLenient.turn;
export const StepSchema: z.ZodType<Step> = stepsLenient.step;
export const AnnotationSchema: z.ZodType<Annotation> = stepsLenient.annotation;
export const UsageSchema: z.ZodType<Usage> = stepsLenient.usage;
export const LegacyDeltaSchema: z.ZodType<LegacyDelta> = legacyLenient.delta;
export const StepDeltaSchema: z.ZodType<StepDelta> = stepsLenient.delta;
export const LegacyEventSchema: z.ZodType<LegacyEvent> = legacyLenient.event;
export const StepsEventSchema: z.ZodType<StepsEvent> = stepsLenient.event;
export const ErrorEnvelopeSchema: z.ZodType<ErrorEnvelope> = stepsLenient.errorEnvelope;
