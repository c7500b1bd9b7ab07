/** What a script's `when` looks at, read once from a provider request. */
import type { Item, Tool } from '@interplay/protocol';
import type { ProviderRequest } from '../provider.ts';

export interface Conversation {
  /** Text of the latest `user_input` (its text parts, space-joined). */
  input: string;
  /** Content types of the latest `user_input`, e.g. `text`, `image`. Built on first read. */
  readonly inputTypes: ReadonlySet<string>;
  /** Text of every user/model turn before the latest `user_input`, one line per turn. Built on first read. */
  readonly history: string;
  /** The conversation's latest item (may be a tool result produced this turn). */
  last: Item | undefined;
  /** Function names, built-in tool types, and `mcp_server` names offered. Built on first read. */
  readonly tools: ReadonlySet<string>;
  /** Whether the request asks for JSON following a schema. */
  schema: Record<string, unknown> | undefined;
  /** Every item, to look a result's call up by id. */
  items: readonly Item[];
}

/**
 * Only the rules that look at them read the sets and the history: each is built on first read. A class, not an
 * object literal with getters: V8 defines each getter of a literal through a runtime call, for every request.
 */
class RequestConversation implements Conversation {
  readonly input: string;
  readonly last: Item | undefined;
  readonly schema: Record<string, unknown> | undefined;
  readonly items: readonly Item[];
  readonly #request: ProviderRequest;
  readonly #latestUser: number;
  #inputTypes: Set<string> | undefined;
  #history: string | undefined;
  #tools: Set<string> | undefined;

  constructor(request: ProviderRequest) {
    const { items } = request;
    let latestUser = items.length - 1;
    while (latestUser >= 0 && (items[latestUser] as Item).type !== 'user_input') latestUser--;
    this.#request = request;
    this.#latestUser = latestUser;
    this.input = latestUser >= 0 ? textOf(items[latestUser] as Item) : '';
    this.last = items.at(-1);
    this.schema = request.output_format?.schema;
    this.items = items;
  }

  get inputTypes(): ReadonlySet<string> {
    const user = this.#latestUser >= 0 ? (this.items[this.#latestUser] as Item) : undefined;
    this.#inputTypes ??= new Set(user ? contentOf(user).map((part) => part.type) : []);
    return this.#inputTypes;
  }

  get history(): string {
    this.#history ??= this.items
      .slice(0, Math.max(this.#latestUser, 0))
      .map(textOf)
      .filter((text) => text !== '')
      .join('\n');
    return this.#history;
  }

  get tools(): ReadonlySet<string> {
    this.#tools ??= offeredNames(this.#request.tools ?? []);
    return this.#tools;
  }
}

/** What a script's `when` looks at in `request`. */
export function readConversation(request: ProviderRequest): Conversation {
  return new RequestConversation(request);
}

function offeredNames(tools: readonly Tool[]): Set<string> {
  const names = new Set<string>();
  for (const tool of tools) {
    if (tool.type !== 'function') names.add(tool.type);
    if (typeof tool.name === 'string') names.add(tool.name);
  }
  return names;
}

/** Text of a user or model turn; other steps (tool calls, results, thoughts) carry no turn text. */
function textOf(item: Item): string {
  if (item.type !== 'user_input' && item.type !== 'model_output') return '';
  let text = '';
  let first = true;
  for (const part of contentOf(item)) {
    if (part.type !== 'text' || typeof part.text !== 'string') continue;
    text = first ? part.text : `${text} ${part.text}`;
    first = false;
  }
  return text;
}

function contentOf(item: Item): { type: string; text?: unknown }[] {
  return Array.isArray(item.content) ? (item.content as { type: string }[]) : [];
}
