/**
 * Structured output: the final text is parsed as JSON (a surrounding ```json fence is tolerated) and
 * validated against `responseFormat`; failures throw `StructuredOutputError` with the raw text and issues.
 */
import { StructuredOutputError } from '../errors.ts';
import { formatIssues } from '../schema/issues.ts';
import type { Validator } from '../schema/validate.ts';

const FENCE = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/;

export function parseStructuredOutput<T>(text: string, validate: Validator<T>): T {
  const body = FENCE.exec(text)?.[1] ?? text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new StructuredOutputError(
      `The final answer is not valid JSON: ${(cause as Error).message}`,
      text,
      [{ path: [], message: 'not valid JSON' }],
      { cause },
    );
  }
  const result = validate(json);
  if (!result.ok) {
    throw new StructuredOutputError(
      `The final answer does not match responseFormat: ${formatIssues(result.issues)}`,
      text,
      result.issues,
    );
  }
  return result.value;
}
