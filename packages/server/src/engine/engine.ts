/**
 * The engine runs one interaction's turn: call the provider → run the server-executed tools it called → call it
 * again with the results … until it answers (completed), calls a client function (requires_action), the
 * signal aborts (cancelled), the tool-round limit is hit (incomplete) or something fails (failed).
 * The loop is the small state machine in turn-state.ts; nothing here knows which provider it drives.
 */

import type { CanonicalRequest, ErrorBody, Item, McpServerTool, Usage } from '@interplay/protocol';
import type { Agent } from '../agents/agent.ts';
import { type AgentRegistry, DEFAULT_AGENTS } from '../agents/registry.ts';
import type { McpServerServerTool } from '../mcp/mcp-server-tool.ts';
import type { Provider, ProviderEvent, ProviderHistory, ProviderRequest } from '../providers/provider.ts';
import { PushStream } from '../providers/shared/push-stream.ts';
import { newCallId } from '../runtime/ids.ts';
import { LoopSlices, yieldToLoop } from '../runtime/loop-slices.ts';
import { traceProviderCall } from '../telemetry/spans.ts';
import { createServerToolRegistry, type ServerToolRegistry } from '../tools/registry.ts';
import { clientToolSearch, visibleTools } from '../tools/tool-search.ts';
import type { Engine, TurnInput, TurnOutcome, TurnSink } from './contract.ts';
import { toErrorBody } from './errors.ts';
import { StepWriter } from './step-writer.ts';
import { runToolRound } from './tool-runner.ts';
import { afterProvider, afterTools, type Next, type ProviderRound, resumeNext } from './turn-state.ts';
import { addUsage, emptyUsage } from './usage.ts';

export interface EngineOptions {
  /** Tried in order; the first whose `supportsModel` accepts the request's model (or agent) id serves it. */
  providers: readonly Provider[];
  tools?: ServerToolRegistry;
  /** Rounds of server tool calls per turn before it ends `incomplete`. Default 10. */
  maxToolRounds?: number;
  /** Server tool calls run at once within a turn. Default 8. */
  toolConcurrency?: number;
  /** A server tool call taking longer becomes an `is_error` result. Default 5 minutes. */
  toolTimeoutMs?: number;
  /**
   * Agents served by name (`agent` in the request): they run on these providers and tools. Default: the
   * built-in agents (`deep-research-*`). An agent id no agent serves goes to the providers like a model id.
   */
  agents?: AgentRegistry;
}

interface EngineConfig {
  providers: readonly Provider[];
  tools: ServerToolRegistry;
  agents: AgentRegistry;
  maxToolRounds: number;
  toolConcurrency: number;
  toolTimeoutMs: number;
}

export function createEngine(options: EngineOptions): Engine {
  const config: EngineConfig = {
    providers: options.providers,
    tools: options.tools ?? createServerToolRegistry(),
    agents: options.agents ?? DEFAULT_AGENTS,
    maxToolRounds: positiveInt('maxToolRounds', options.maxToolRounds ?? 10),
    toolConcurrency: positiveInt('toolConcurrency', options.toolConcurrency ?? 8),
    toolTimeoutMs: positiveInt('toolTimeoutMs', options.toolTimeoutMs ?? 300_000),
  };
  return { runTurn: (input, sink) => runTurn(input, sink, config) };
}

async function runTurn(input: TurnInput, sink: TurnSink, config: EngineConfig): Promise<TurnOutcome> {
  const { request, signal } = input;
  const agent = request.agent === undefined ? undefined : config.agents.resolve(request.agent);
  if (agent) return runAgent(agent, input, sink, config);
  const writer = new StepWriter(sink, input.resume?.steps);
  let usage = emptyUsage();
  try {
    const routed = route(config.providers, request);
    if ('error' in routed) return { status: 'failed', output: writer.output, usage, error: routed.error };
    const { provider } = routed;
    // A new turn asks the model; one taken over goes on from its completed steps.
    let { next, toolRounds }: { next: Next; toolRounds: number } = input.resume
      ? resumeNext(
          input.resume.steps,
          input.resume.interrupted,
          (item) => config.tools.isServerCall(item),
          config.maxToolRounds,
        )
      : { next: { kind: 'call_provider' }, toolRounds: 0 };
    // History + this input: loaded and copied once, on the first provider call, which gets it as its `items`
    // (read-only, see ProviderRequest); later calls get it with the items produced so far.
    let earlier: readonly Item[] | undefined;
    let history: ProviderHistory | undefined;
    for (;;) {
      switch (next.kind) {
        case 'call_provider': {
          if (signal.aborted) {
            next = { kind: 'cancelled' };
            break;
          }
          if (earlier === undefined) {
            const before = await input.history();
            earlier = before.concat(request.input);
            if (input.historyIds?.length) history = { ids: input.historyIds, items: before.length };
          }
          const items = writer.output.length === 0 ? earlier : earlier.concat(writer.output);
          const produced = writer.output.length;
          const call = await traceProviderCall(
            provider.name,
            request,
            input.interactionId,
            items,
            () =>
              callProvider(provider, providerRequest(input, items, history, config.tools), {
                writer,
                tools: config.tools,
                clientSearch: clientToolSearch(request.tools),
                signal,
              }),
            ({ usage, next }) => ({
              usage,
              output: writer.output.slice(produced),
              failure: next.kind === 'fail' ? next.error.code : undefined,
            }),
          );
          usage = addUsage(usage, call.usage);
          next = call.next;
          break;
        }
        case 'run_tools': {
          toolRounds += 1;
          const ran = await runToolRound({
            calls: next.serverCalls,
            registry: config.tools,
            offered: request.tools ?? [],
            interactionId: input.interactionId,
            owner: input.owner ?? null,
            signal,
            concurrency: config.toolConcurrency,
            timeoutMs: config.toolTimeoutMs,
            onResult: (result) => writer.item(result),
          });
          next =
            ran.kind === 'aborted'
              ? { kind: 'cancelled' }
              : ran.kind === 'failed'
                ? { kind: 'fail', error: ran.error }
                : afterTools(next.clientCalls, toolRounds, config.maxToolRounds);
          break;
        }
        default:
          return outcome(next, writer.output, usage);
      }
    }
  } catch (error) {
    // Only the runtime's history loader or sink can land here; the turn still ends as data.
    return { status: 'failed', output: writer.output, usage, error: toErrorBody(error) };
  }
}

/** An agent runs the whole turn itself, on the engine's providers and tools. */
async function runAgent(
  agent: Agent,
  input: TurnInput,
  sink: TurnSink,
  config: EngineConfig,
): Promise<TurnOutcome> {
  const writer = new StepWriter(sink, input.resume?.steps);
  if (input.resume && input.resume.steps.length > 0 && !agent.resumable) {
    return {
      status: 'failed',
      output: writer.output,
      usage: emptyUsage(),
      error: {
        code: 'api_error',
        message: `The server replica running this interaction stopped, and the agent '${agent.name}' cannot go on from where it stopped.`,
      },
    };
  }
  const invalid = agent.validate?.(input.request);
  if (invalid) {
    return {
      status: 'failed',
      output: [],
      usage: emptyUsage(),
      error: toErrorBody(invalid, 'invalid_request'),
    };
  }
  try {
    return await agent.run({
      ...input,
      writer,
      providers: config.providers,
      tools: config.tools,
      toolTimeoutMs: config.toolTimeoutMs,
      toolConcurrency: config.toolConcurrency,
    });
  } catch (error) {
    writer.close();
    if (input.signal.aborted) return { status: 'cancelled', output: writer.output, usage: emptyUsage() };
    return { status: 'failed', output: writer.output, usage: emptyUsage(), error: toErrorBody(error) };
  }
}

interface CallContext {
  writer: StepWriter;
  tools: ServerToolRegistry;
  /** The request's `tool_search` runs on the client: its calls end the turn like function calls. */
  clientSearch: boolean;
  signal: AbortSignal;
}

/** One provider call, streamed into steps. Returns its usage and what happens next. */
async function callProvider(
  provider: Provider,
  request: ProviderRequest,
  { writer, tools, clientSearch, signal }: CallContext,
): Promise<{ usage: Usage; next: Next }> {
  let usage: Usage = {};
  const round: ProviderRound = { serverCalls: [], clientCalls: 0 };
  const take = (event: ProviderEvent): void => {
    switch (event.type) {
      case 'text':
        writer.text(event.text, event.annotations);
        break;
      case 'media':
        writer.media(event.content);
        break;
      case 'thought':
        writer.thought(event.signature, event.summary);
        break;
      case 'usage':
        usage = event.usage;
        break;
      case 'call_start':
        writer.callStart(event.id || newCallId(), event.name, event.signature);
        break;
      case 'call_delta':
        writer.callDelta(event.arguments);
        break;
      case 'call_end':
        if (writer.callEnd(event.arguments)) round.clientCalls += 1;
        break;
      case 'incomplete':
        round.incomplete = event.reason;
        break;
      case 'item': {
        if (event.executed) {
          // Run by the upstream itself (Gemini's own search, code execution…): recorded, not run again.
          writer.item(event.item);
          break;
        }
        const clientCall =
          event.item.type === 'function_call' || (clientSearch && event.item.type === 'tool_search_call');
        const isServerCall = !clientCall && tools.isServerCall(event.item);
        const isCall = isServerCall || clientCall;
        const item = isCall ? withCallId(event.item) : event.item;
        writer.item(item);
        if (isServerCall) round.serverCalls.push(item);
        else if (isCall) round.clientCalls += 1;
        break;
      }
    }
  };
  try {
    const events = provider.generate(request, signal);
    if (events instanceof PushStream) {
      // Each event is taken inside the provider's own callback (no promise per event); an abort fails the
      // stream, so this ends at once.
      await events.deliverTo(take);
    } else if (Symbol.asyncIterator in events) {
      for await (const event of events) {
        if (signal.aborted) break;
        take(event);
      }
    } else {
      // All at once (no awaits between events, but the loop is given back every few hundred so that a long
      // answer does not hold it): the abort check still runs per event.
      const slices = new LoopSlices(PROVIDER_EVENTS_PER_SLICE);
      for (const event of events) {
        if (signal.aborted) break;
        take(event);
        if (slices.due()) await yieldToLoop();
      }
    }
  } catch (error) {
    writer.close();
    return {
      usage,
      next: signal.aborted ? { kind: 'cancelled' } : { kind: 'fail', error: toErrorBody(error) },
    };
  }
  writer.close();
  return { usage, next: signal.aborted ? { kind: 'cancelled' } : afterProvider(round) };
}

function route(
  providers: readonly Provider[],
  request: CanonicalRequest,
): { provider: Provider } | { error: ErrorBody } {
  const id = request.model ?? request.agent;
  if (!id) return { error: { code: 'invalid_request', message: 'a model or an agent is required' } };
  const provider = providers.find((p) => p.supportsModel?.(id) ?? true);
  if (provider) return { provider };
  const what = request.model ? 'model' : 'agent';
  return {
    error: {
      code: 'not_found',
      message: `${what} '${id}' is not served by this server (no provider route matches it)`,
    },
  };
}

/** Provider events taken before the loop is given back, when a provider hands its answer over at once. */
const PROVIDER_EVENTS_PER_SLICE = 256;

/**
 * The request's provider-facing fields that are set (absent ones stay absent, not `undefined`). Named one by
 * one: a loop over a list of keys writes them through a megamorphic keyed store, at every provider call.
 */
function providerRequest(
  { interactionId, request }: TurnInput,
  items: readonly Item[],
  history: ProviderHistory | undefined,
  tools: ServerToolRegistry,
): ProviderRequest {
  const out: ProviderRequest = { interactionId, items };
  if (history !== undefined) out.history = history;
  if (request.model !== undefined) out.model = request.model;
  if (request.agent !== undefined) out.agent = request.agent;
  if (request.system_instruction !== undefined) out.system_instruction = request.system_instruction;
  // With a tool_search, functions are offered once a search has loaded them.
  if (request.tools !== undefined) out.tools = visibleTools(request.tools, items);
  if (request.generation_config !== undefined) out.generation_config = request.generation_config;
  if (request.output_format !== undefined) out.output_format = request.output_format;
  const mcp = tools.get('mcp_server_tool_call') as Partial<McpServerServerTool> | undefined;
  if (mcp?.listTools && request.tools?.some((t) => t.type === 'mcp_server')) {
    const listTools = mcp.listTools.bind(mcp);
    out.listMcpTools = (declaration: McpServerTool, signal: AbortSignal) => listTools(declaration, signal);
  }
  return out;
}

/** Calls need an id the result can point at; providers should set one, this is the safety net. */
function withCallId(item: Item): Item {
  if (typeof item.id === 'string' && item.id) return item;
  return { ...item, id: newCallId() } as Item;
}

function outcome(
  next: Exclude<Next, { kind: 'call_provider' | 'run_tools' }>,
  output: Item[],
  usage: Usage,
): TurnOutcome {
  switch (next.kind) {
    case 'finish':
      return { status: next.status, output, usage };
    case 'incomplete':
      return { status: 'incomplete', output, usage, reason: next.reason };
    case 'cancelled':
      return { status: 'cancelled', output, usage };
    case 'fail':
      return { status: 'failed', output, usage, error: next.error };
  }
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
