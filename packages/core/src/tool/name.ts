/** Function names Gemini accepts: start with a letter or `_`, then letters, digits, `_ . : -`; at most 64. */
import { ToolDefinitionError } from '../errors.ts';

export const TOOL_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

export function assertToolName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      `Invalid tool name ${JSON.stringify(name)}: use letters, digits, "_", ".", ":" or "-", start with a letter or "_", at most 64 characters.`,
      typeof name === 'string' ? name : undefined,
    );
  }
}
