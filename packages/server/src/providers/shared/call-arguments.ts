/**
 * A function call's arguments as a model streamed them (JSON text, in fragments the reader has joined) → the
 * arguments object. Empty text is no arguments; text that is not a JSON object fails the turn with
 * `malformed_function_call`, naming the provider and the function. Used by the `openai` and `anthropic`
 * readers (Gemini sends arguments as an object).
 */
import { InteractionsError } from '@interplay/protocol';

/**
 * @param field what the upstream calls the arguments, for the error message: Claude's `tool_use` has `input`,
 *   Chat Completions' `tool_calls` have `arguments`.
 */
export function parseCallArguments(
  json: string,
  call: { provider: string; name: string; field: 'input' | 'arguments' },
): Record<string, unknown> {
  if (json.trim() === '') return {};
  const what = call.field === 'input' ? 'input that is' : 'arguments that are';
  const malformed = (problem: string) =>
    new InteractionsError(
      'malformed_function_call',
      `The model behind '${call.provider}' called '${call.name}' with ${what} ${problem}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw malformed(`not valid JSON: ${json.slice(0, 200)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw malformed('not a JSON object.');
  return value as Record<string, unknown>;
}
