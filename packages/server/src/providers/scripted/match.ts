/** Does a rule's `when` match the conversation? Returns the named captures when it does. */
import type { Conversation } from './conversation.ts';
import type { When } from './script.ts';

interface Patterns {
  input: RegExp | undefined;
  history: RegExp | undefined;
}

/** Each `when`'s patterns, compiled on its first match (a script's rules are matched on every call). */
const compiled = new WeakMap<When, Patterns>();

/** Safe to share: `exec` without `g` and `matchAll` keep no state in the RegExp. */
function patternsOf(when: When): Patterns {
  let patterns = compiled.get(when);
  if (!patterns) {
    patterns = {
      input: when.input === undefined ? undefined : new RegExp(when.input, 'i'),
      history: when.history === undefined ? undefined : new RegExp(when.history, 'gi'),
    };
    compiled.set(when, patterns);
  }
  return patterns;
}

export function matchWhen(when: When | undefined, convo: Conversation): Record<string, string> | undefined {
  if (!when) return {};
  // A rule keyed on the user's message (`input`/`has`) without its own `last` answers that message only
  // while it is the latest item: once a tool result follows, rules keyed on `last` answer instead, so a
  // rule that calls a tool does not call it again forever (the SPEC's weather example relies on this).
  const implicitLast = when.last === undefined && (when.input !== undefined || when.has !== undefined);
  if (implicitLast && convo.last?.type !== 'user_input') return undefined;
  if (when.last && !when.last.includes(convo.last?.type ?? '')) return undefined;
  if (when.schema !== undefined && when.schema !== (convo.schema !== undefined)) return undefined;
  // The input before the sets (built on first read) and the history (grows with the chain, built when read).
  const patterns = patternsOf(when);
  let inputMatch: RegExpExecArray | undefined;
  if (patterns.input) {
    const match = patterns.input.exec(convo.input);
    if (!match) return undefined;
    inputMatch = match;
  }
  if (when.tools && !containsAll(convo.tools, when.tools)) return undefined;
  if (when.has && !containsAll(convo.inputTypes, when.has)) return undefined;
  const captures: Record<string, string> = {};
  if (patterns.history) {
    // The latest mention wins ("my name is Ann" … "my name is Bo" → Bo).
    const matches = [...convo.history.matchAll(patterns.history)];
    const latest = matches.at(-1);
    if (!latest) return undefined;
    Object.assign(captures, definedGroups(latest.groups));
  }
  // Input captures win over history captures of the same name, as before.
  if (inputMatch) Object.assign(captures, definedGroups(inputMatch.groups));
  return captures;
}

function containsAll(set: ReadonlySet<string>, names: readonly string[]): boolean {
  for (const name of names) if (!set.has(name)) return false;
  return true;
}

/** Groups that did not take part in the match become empty strings. */
function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(groups ?? {}).map(([k, v]) => [k, v ?? '']));
}
