/**
 * The scripted provider: an offline "model" that answers from a script of rules (see script.ts and
 * docs/server/scripted-provider.md). Everything around it — HTTP, SSE, storage, tools — stays real.
 */
import { InteractionsError } from '@interplay/protocol';
import { deepFreeze } from '../../runtime/deep-freeze.ts';
import type { Provider, ProviderEvent, ProviderRequest } from '../provider.ts';
import { type Conversation, readConversation } from './conversation.ts';
import { DEFAULT_SCRIPT } from './default-script.ts';
import { HistoryTokenCounts } from './history-tokens.ts';
import { matchWhen } from './match.ts';
import { PacedEvents } from './paced-events.ts';
import { compileInputSet, type InputSet } from './pattern.ts';
import { respond } from './respond.ts';
import { parseScript, type Script, type ScriptInput, type ScriptRule } from './script.ts';
import { fill, hasPlaceholders } from './template.ts';
import { countTokens } from './tokens.ts';

export interface ScriptedProviderOptions {
  /** A validated script or a raw script object; the built-in default script when absent. */
  script?: Script | ScriptInput;
  /** Model ids served; every id when absent. */
  models?: readonly string[];
  /** Overrides the script's `delay_ms`. */
  delayMs?: number;
}

export function createScriptedProvider(options: ScriptedProviderOptions = {}): Provider {
  // Our own copy (zod hands some values through as they are): static rules are frozen below.
  const script = structuredClone(parseScript(options.script ?? DEFAULT_SCRIPT));
  // Rules without placeholders answer with their own items (frozen: they are handed on to every turn).
  const templated = new Set<ScriptRule>();
  for (const rule of script.rules) {
    if (hasPlaceholders(rule.respond) || hasPlaceholders(rule.error)) templated.add(rule);
    else deepFreeze(rule);
  }
  const inputs = compileInputSet(script.rules.map((rule) => rule.when?.input));
  const delayMs = options.delayMs ?? script.delay_ms ?? 0;
  const models = options.models ? new Set(options.models) : undefined;
  const historyTokens = new HistoryTokenCounts();
  return {
    name: 'scripted',
    ...(models ? { supportsModel: (model: string) => models.has(model) } : {}),
    generate: (request, signal) => {
      const events = answer(script, inputs, templated, historyTokens, request, signal);
      // Without a delay the whole answer is handed over at once: nothing to wait for between events.
      return delayMs > 0 ? new PacedEvents(events, delayMs, signal) : events;
    },
  };
}

/** The events answering `request`, usage last. Throws the rule's scripted error, if it has one. */
function answer(
  script: Script,
  inputs: InputSet,
  templated: ReadonlySet<ScriptRule>,
  historyTokens: HistoryTokenCounts,
  request: ProviderRequest,
  signal: AbortSignal,
): ProviderEvent[] {
  signal.throwIfAborted();
  const convo = readConversation(request);
  const { ruleIndex, captures } = firstMatch(script, inputs, convo);
  const rule = script.rules[ruleIndex] as ScriptRule;
  const { respond: items, error } = templated.has(rule) ? filled(rule, convo, captures) : rule;
  if (error) throw new InteractionsError(error.code, error.message);
  const { events, tokens } = respond(items ?? [], { schema: convo.schema, ruleIndex });
  const input =
    historyTokens.count(request.items, request.history) + countTokens(request.system_instruction ?? '');
  events.push({
    type: 'usage',
    usage: {
      total_input_tokens: input,
      total_output_tokens: tokens.output,
      total_thought_tokens: tokens.thought,
      total_tokens: input + tokens.output + tokens.thought,
    },
  });
  return events;
}

/** A templated rule's `respond` and `error` with their placeholders filled from the conversation. */
function filled(
  rule: ScriptRule,
  convo: Conversation,
  captures: Record<string, string>,
): Pick<ScriptRule, 'respond' | 'error'> {
  const ctx = { input: convo.input, captures, last: convo.last, items: convo.items };
  return { respond: fill(rule.respond, ctx), error: fill(rule.error, ctx) };
}

function firstMatch(
  script: Script,
  inputs: InputSet,
  convo: Conversation,
): { ruleIndex: number; captures: Record<string, string> } {
  // Which rules' input patterns match: one pass for all of them, made when the first rule needs it.
  let matching: ReadonlySet<number> | undefined;
  let ruleIndex = 0;
  // One function for every rule (asked about the rule being matched), not one made per rule.
  const inputMatches = (): boolean => {
    matching ??= inputs.matching(convo.input);
    return matching.has(ruleIndex);
  };
  for (; ruleIndex < script.rules.length; ruleIndex++) {
    const captures = matchWhen((script.rules[ruleIndex] as ScriptRule).when, convo, inputMatches);
    if (captures) return { ruleIndex, captures };
  }
  throw new InteractionsError(
    'api_error',
    `scripted provider: no rule matched the input ${JSON.stringify(convo.input)} ` +
      '(end the script with a rule without `when` to answer everything)',
  );
}
