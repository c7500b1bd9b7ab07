/**
 * @interplay/protocol — the Interactions API wire model for both revisions: types, zod schemas,
 * the canonical model and converters, the SSE codec and the error envelope. Pure: no I/O.
 *
 * @module @interplay/protocol
 */
export * from './answer-text.ts';
export * from './canonical.ts';
export * from './convert/index.ts';
export * from './errors.ts';
export * from './gen-ai.ts';
export * from './mcp-delivery.ts';
export * from './mcp-result.ts';
export * from './revision.ts';
export * from './schemas/index.ts';
export * from './sse/decoder.ts';
export * from './sse/encoder.ts';
export * from './usage.ts';
export * from './wire/common.ts';
export * from './wire/content.ts';
export * from './wire/events.ts';
export * from './wire/interaction.ts';
export * from './wire/request.ts';
export * from './wire/step.ts';
export * from './wire/tool.ts';
