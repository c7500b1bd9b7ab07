/** Does a rule's `when` match the conversation? Returns the named captures when it does. */
import type { Conversation } from './conversation.ts';
import { compilePattern, type ScriptPattern } from './pattern.ts';
import type { When } from './script.ts';

interface Patterns {
  input: ScriptPattern | undefined;
  history: ScriptPattern | undefined;
}

/** Each `when`'s patterns, compiled on its first match (a script's rules are matched on every call). */
const compiled = new WeakMap<When, Patterns>();

function patternsOf(when: When): Patterns {
  let patterns = compiled.get(when);
  if (!patterns) {
    patterns = {
      input: when.input === undefined ? undefined : compilePattern(when.input),
      history: when.history === undefined ? undefined : compilePattern(when.history),
    };
    compiled.set(when, patterns);
  }
  return patterns;
}

/**
 * `inputMatches` answers whether `when.input` matches the latest input, when the caller already knows it for
 * every rule at once (the provider's {@link compileInputSet}); without it the pattern is run here.
 */
export function matchWhen(
  when: When | undefined,
  convo: Conversation,
  inputMatches?: () => boolean,
): Record<string, string> | undefined {
  if (!when) return {};
  // A rule keyed on the user's message (`input`/`has`) without its own `last` answers that message only
  // while it is the latest item: once a tool result follows, rules keyed on `last` answer instead, so a
  // rule that calls a tool does not call it again forever (the SPEC's weather example relies on this).
  const implicitLast = when.last === undefined && (when.input !== undefined || when.has !== undefined);
  if (implicitLast && convo.last?.type !== 'user_input') return undefined;
  if (when.last && !when.last.includes(convo.last?.type ?? '')) return undefined;
  if (when.schema !== undefined && when.schema !== (convo.schema !== undefined)) return undefined;
  // The sets first (a few names each, built on first read): a pattern reads up to 16 Ki characters of text.
  if (when.tools && !containsAll(convo.tools, when.tools)) return undefined;
  if (when.has && !containsAll(convo.inputTypes, when.has)) return undefined;
  const patterns = patternsOf(when);
  let inputGroups: Record<string, string> | undefined;
  if (patterns.input) {
    if (inputMatches && !inputMatches()) return undefined;
    inputGroups = inputMatches ? patterns.input.captures(convo.input) : patterns.input.first(convo.input);
    if (!inputGroups) return undefined;
  }
  const captures: Record<string, string> = {};
  if (patterns.history) {
    // The latest mention wins ("my name is Ann" … "my name is Bo" → Bo).
    const latest = patterns.history.last(convo.history);
    if (!latest) return undefined;
    Object.assign(captures, latest);
  }
  // Input captures win over history captures of the same name.
  if (inputGroups) Object.assign(captures, inputGroups);
  return captures;
}

function containsAll(set: ReadonlySet<string>, names: readonly string[]): boolean {
  for (const name of names) if (!set.has(name)) return false;
  return true;
}
