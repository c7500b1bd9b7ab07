/** Does a rule's `when` match the conversation? Returns the named captures when it does. */
import type { Conversation } from './conversation.ts';
import type { When } from './script.ts';

export function matchWhen(when: When | undefined, convo: Conversation): Record<string, string> | undefined {
  if (!when) return {};
  if (when.tools && !when.tools.every((name) => convo.tools.has(name))) return undefined;
  if (when.last && !when.last.includes(convo.last?.type ?? '')) return undefined;
  if (when.has && !when.has.every((type) => convo.inputTypes.has(type))) return undefined;
  if (when.schema !== undefined && when.schema !== (convo.schema !== undefined)) return undefined;
  const captures: Record<string, string> = {};
  if (when.history !== undefined) {
    // The latest mention wins ("my name is Ann" … "my name is Bo" → Bo).
    const matches = [...convo.history.matchAll(new RegExp(when.history, 'gi'))];
    const latest = matches.at(-1);
    if (!latest) return undefined;
    Object.assign(captures, definedGroups(latest.groups));
  }
  if (when.input !== undefined) {
    const match = new RegExp(when.input, 'i').exec(convo.input);
    if (!match) return undefined;
    Object.assign(captures, definedGroups(match.groups));
  }
  return captures;
}

/** Groups that did not take part in the match become empty strings. */
function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(groups ?? {}).map(([k, v]) => [k, v ?? '']));
}
