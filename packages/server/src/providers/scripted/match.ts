/** Does a rule's `when` match the conversation? Returns the named captures when it does. */
import type { Conversation } from './conversation.ts';
import type { When } from './script.ts';

/** Compiled patterns by source and flags: a script's few patterns are matched on every call. */
const compiled = new Map<string, RegExp>();
/** Scripts come from configuration, so few patterns exist; the bound only guards against a leak. */
const MAX_COMPILED = 1_000;

/** `pattern` compiled with `flags`, once. Safe to share: `exec` without `g` and `matchAll` keep no state in it. */
function regex(pattern: string, flags: 'i' | 'gi'): RegExp {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

export function matchWhen(when: When | undefined, convo: Conversation): Record<string, string> | undefined {
  if (!when) return {};
  // A rule keyed on the user's message (`input`/`has`) without its own `last` answers that message only
  // while it is the latest item: once a tool result follows, rules keyed on `last` answer instead, so a
  // rule that calls a tool does not call it again forever (the SPEC's weather example relies on this).
  const implicitLast = when.last === undefined && (when.input !== undefined || when.has !== undefined);
  if (implicitLast && convo.last?.type !== 'user_input') return undefined;
  if (when.tools && !when.tools.every((name) => convo.tools.has(name))) return undefined;
  if (when.last && !when.last.includes(convo.last?.type ?? '')) return undefined;
  if (when.has && !when.has.every((type) => convo.inputTypes.has(type))) return undefined;
  if (when.schema !== undefined && when.schema !== (convo.schema !== undefined)) return undefined;
  // The input first: it is short, while the history grows with the chain (and is only built when read).
  let inputMatch: RegExpExecArray | undefined;
  if (when.input !== undefined) {
    const match = regex(when.input, 'i').exec(convo.input);
    if (!match) return undefined;
    inputMatch = match;
  }
  const captures: Record<string, string> = {};
  if (when.history !== undefined) {
    // The latest mention wins ("my name is Ann" … "my name is Bo" → Bo).
    const matches = [...convo.history.matchAll(regex(when.history, 'gi'))];
    const latest = matches.at(-1);
    if (!latest) return undefined;
    Object.assign(captures, definedGroups(latest.groups));
  }
  // Input captures win over history captures of the same name, as before.
  if (inputMatch) Object.assign(captures, definedGroups(inputMatch.groups));
  return captures;
}

/** Groups that did not take part in the match become empty strings. */
function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(groups ?? {}).map(([k, v]) => [k, v ?? '']));
}
