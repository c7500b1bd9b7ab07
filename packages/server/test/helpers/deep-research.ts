/**
 * A harness for the deep-research agent tests (`agents-*.test.ts`): the agent at the engine level, on the
 * real scripted provider (with the agent's offline rules) and the real google_search (corpus backend) and
 * url_context tools — url_context reading the corpus's pages from a real HTTP server on 127.0.0.1.
 */
import { fileURLToPath } from 'node:url';
import type { CanonicalRequest, Item, TextContent } from '@interplay/protocol';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type CorpusSite, DEEP_RESEARCH_RULES, startCorpusSite } from '../../src/agents/index.ts';
import type { SearchBackend } from '../../src/builtins/google-search/backend.ts';
import { CorpusSearch, loadCorpus } from '../../src/builtins/google-search/corpus-backend.ts';
import { googleSearchTool } from '../../src/builtins/google-search/tool.ts';
import { urlContextTool } from '../../src/builtins/url-context/tool.ts';
import type { EngineEvent, TurnOutcome } from '../../src/engine/contract.ts';
import { createEngine, type EngineOptions } from '../../src/engine/engine.ts';
import type { Provider, ProviderRequest } from '../../src/providers/provider.ts';
import { DEFAULT_SCRIPT } from '../../src/providers/scripted/default-script.ts';
import { createScriptedProvider } from '../../src/providers/scripted/provider.ts';
import { createServerToolRegistry } from '../../src/tools/registry.ts';

const CORPUS = fileURLToPath(new URL('../../assets/search-corpus.jsonl', import.meta.url));
export const SCRIPT = { rules: [...DEEP_RESEARCH_RULES, ...DEFAULT_SCRIPT.rules] };
export const PRO = 'deep-research-pro-preview-12-2025';

/** The corpus site of the current test file; set while its tests run (see `useCorpusSite`). */
export let site: CorpusSite;
const closers: (() => Promise<void>)[] = [];

/**
 * Call once at the top of a test file: serves the corpus site for the file's tests, and closes the
 * url_context tools that `setup` opened after each test.
 */
export function useCorpusSite(): void {
  beforeAll(async () => {
    site = await startCorpusSite(loadCorpus(CORPUS));
  });
  afterAll(async () => {
    await site?.close();
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
}

export const userInput = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });

/** Wraps a provider, keeping a copy of every request it got. */
function recording(inner: Provider): Provider & { requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  return {
    name: inner.name,
    ...(inner.supportsModel ? { supportsModel: (id: string) => inner.supportsModel!(id) } : {}),
    requests,
    generate(request, signal) {
      requests.push(structuredClone(request));
      return inner.generate(request, signal);
    },
  };
}

export interface Setup {
  search?: SearchBackend;
  delayMs?: number;
  provider?: Provider;
  engine?: Partial<EngineOptions>;
}

export function setup(options: Setup = {}) {
  const url = urlContextTool({ allowHosts: ['127.0.0.1'] });
  closers.push(() => url.close());
  const backend = options.search ?? new CorpusSearch(site.documents);
  const provider = recording(
    options.provider ??
      createScriptedProvider({ script: SCRIPT, ...(options.delayMs ? { delayMs: options.delayMs } : {}) }),
  );
  const engine = createEngine({
    providers: [provider],
    tools: createServerToolRegistry([googleSearchTool({ backend }), url]),
    ...options.engine,
  });
  return { engine, provider };
}

export interface Turn {
  text: string;
  agent?: string;
  config?: Record<string, unknown>;
  request?: Partial<CanonicalRequest>;
  history?: Item[];
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

export async function research(engine: ReturnType<typeof setup>['engine'], turn: Turn) {
  const events: EngineEvent[] = [];
  const request: CanonicalRequest = {
    agent: turn.agent ?? PRO,
    background: true,
    input: [userInput(turn.text)],
    ...(turn.config ? { agent_config: { type: 'deep-research', ...turn.config } } : {}),
    ...turn.request,
  } as CanonicalRequest;
  const outcome: TurnOutcome = await engine.runTurn(
    {
      interactionId: 'int_research',
      request,
      history: async () => turn.history ?? [],
      signal: turn.signal ?? new AbortController().signal,
    },
    {
      emit(event) {
        events.push(structuredClone(event));
        turn.onEvent?.(event);
      },
    },
  );
  return { outcome, events, request };
}

export const types = (items: Item[]) => items.map((i) => i.type);
export const ofType = <T extends Item['type']>(items: Item[], type: T) =>
  items.filter((i): i is Extract<Item, { type: T }> => i.type === type);
export const reportOf = (outcome: TurnOutcome): TextContent => {
  const last = outcome.output.at(-1)!;
  expect(last.type).toBe('model_output');
  const first = (last.content as TextContent[])[0]!;
  expect(first.type).toBe('text');
  return first;
};
