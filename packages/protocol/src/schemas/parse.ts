/**
 * The parse API: validate a wire value and get either the value or an `invalid_request` error that
 * names the field. Never throws, whatever the input.
 */
import type { z } from 'zod';
import { InteractionsError } from '../errors.ts';
import type { Revision } from '../revision.ts';
import type { ErrorEnvelope } from '../wire/common.ts';
import type { LegacyEvent, StepsEvent } from '../wire/events.ts';
import type { LegacyInteraction, StepsInteraction } from '../wire/interaction.ts';
import type { LegacyCreateRequest, StepsCreateRequest } from '../wire/request.ts';
import { schemasFor } from './build.ts';
import { errorEnvelopeSchema } from './common.ts';
import { conforms } from './conforms.ts';
import { issuesToError } from './issues.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: InteractionsError };

/** Validate `value` with any schema; `subject` names the root in messages ("request body"). */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, subject: string): ParseResult<T> {
  try {
    // A value that passes is returned as it is (conforms.ts); only a failing one is parsed, for its issues.
    if (conforms(schema, value)) return { ok: true, value: value as T };
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, error: issuesToError(result.error.issues, subject) };
  } catch (cause) {
    // e.g. a getter that throws, or a stack overflow on a pathological value
    return {
      ok: false,
      error: new InteractionsError('invalid_request', `The ${subject} could not be validated.`, { cause }),
    };
  }
}

/** A create-request body, validated strictly (unknown content/step/tool types and enum values rejected). */
export function parseCreateRequest(body: unknown, revision: 'legacy'): ParseResult<LegacyCreateRequest>;
export function parseCreateRequest(body: unknown, revision: 'steps'): ParseResult<StepsCreateRequest>;
export function parseCreateRequest(
  body: unknown,
  revision: Revision,
): ParseResult<LegacyCreateRequest | StepsCreateRequest>;
export function parseCreateRequest(
  body: unknown,
  revision: Revision,
): ParseResult<LegacyCreateRequest | StepsCreateRequest> {
  const schema: z.ZodType<LegacyCreateRequest | StepsCreateRequest> = schemasFor(
    revision,
    'strict',
  ).createRequest;
  return parseWith(schema, body, 'request body');
}

/** An Interaction resource, parsed leniently (unknown types kept, enums open). */
export function parseInteraction(body: unknown, revision: 'legacy'): ParseResult<LegacyInteraction>;
export function parseInteraction(body: unknown, revision: 'steps'): ParseResult<StepsInteraction>;
export function parseInteraction(
  body: unknown,
  revision: Revision,
): ParseResult<LegacyInteraction | StepsInteraction>;
export function parseInteraction(
  body: unknown,
  revision: Revision,
): ParseResult<LegacyInteraction | StepsInteraction> {
  const schema: z.ZodType<LegacyInteraction | StepsInteraction> = schemasFor(revision, 'lenient').interaction;
  return parseWith(schema, body, 'interaction');
}

/**
 * A stream event, parsed leniently. `data` is the event's JSON value or its raw `data:` text
 * (the `[DONE]` sentinel is not an event and is reported as an error).
 */
export function parseEvent(data: unknown, revision: 'legacy'): ParseResult<LegacyEvent>;
export function parseEvent(data: unknown, revision: 'steps'): ParseResult<StepsEvent>;
export function parseEvent(data: unknown, revision: Revision): ParseResult<LegacyEvent | StepsEvent>;
export function parseEvent(data: unknown, revision: Revision): ParseResult<LegacyEvent | StepsEvent> {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch {
      return {
        ok: false,
        error: new InteractionsError('invalid_request', 'The event data is not valid JSON.'),
      };
    }
  }
  const schema: z.ZodType<LegacyEvent | StepsEvent> = schemasFor(revision, 'lenient').event;
  return parseWith(schema, value, 'event');
}

/** An error response body `{"error": {"code", "message"}}`. */
export function parseErrorBody(body: unknown): ParseResult<ErrorEnvelope> {
  return parseWith(errorEnvelopeSchema(), body, 'error body');
}
