/**
 * zod schemas for the whole wire model of both revisions, and a parse API with field paths.
 *
 * `schemasFor(revision, mode)` gives every schema of a revision in either mode (`strict` for requests a server
 * receives, `lenient` for what clients receive), built on first use and cached: importing the package builds
 * none (a server that only parses steps requests never builds the other three sets, ~12 MB less resident).
 * The common picks as named constants (`StepsCreateRequestSchema`, …) are in `@interplay/protocol/schemas`,
 * which builds all four sets when imported.
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
export type { CommonSchemas, LegacySchemas, StepsSchemas } from './build.ts';
export { schemasFor } from './build.ts';
export type { SchemaContext, SchemaMode } from './context.ts';
export { describeValue, formatIssuePath, issueMessage, issuesToError } from './issues.ts';
export { type Choice, dispatch, type OpenUnionOptions, openUnion } from './open-union.ts';
export * from './parse.ts';
