/**
 * The common schemas as named constants — `@interplay/protocol/schemas`. Importing this module builds all four
 * schema sets (both revisions, strict and lenient); the package's main entry builds none until
 * `schemasFor(revision, mode)` (or a parse) needs one.
 *
 * @example
 * import { StepsCreateRequestSchema } from '@interplay/protocol/schemas';
 * const result = StepsCreateRequestSchema.safeParse(body);
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
