/**
 * `Agent`: a reusable definition — who answers (name, instructions, model, model settings), with what
 * (tools, MCP servers, handoffs to other agents, other agents as tools), in what shape (`outputType`) and
 * within which rules (guardrails). It holds no run policy and no run state: the same agent runs in many
 * runs at once and in other processes. Run it with `run(agent, input, options)` or a `Runner` (which holds
 * the policy: client, limits, concurrency, mode, signal).
 *
 * @example
 * const billing = new Agent({ name: 'billing', instructions: 'Answer billing questions.', tools: [lookupInvoice] });
 * const triage = new Agent({
 *   name: 'triage',
 *   model: 'gemini-3-flash-preview',
 *   instructions: 'Route the customer to the right specialist.',
 *   handoffs: [billing],
 * });
 * const result = await run(triage, 'Why was I charged twice?');
 * console.log(result.lastAgent.name, result.text);
 */
import type { GenerationConfig, McpServerTool, ToolChoice } from '@interplay/protocol';
import { AgentDefinitionError } from '../errors.ts';
import type { OutputSchema, RunnerTool } from '../run/options.ts';
import type { NeedsApproval } from '../tool/tool.ts';
import type { Guardrail, ToolGuardrails } from './guardrails.ts';
import type { Handoff } from './handoff.ts';

/** What a function of the run context gets to write the instructions. */
export interface InstructionsInfo<TContext> {
  context: TContext;
  agent: AnyAgent;
}

export type Instructions<TContext> =
  | string
  | ((info: InstructionsInfo<TContext>) => string | Promise<string>);

/**
 * MCP servers: `mcp_server` tools the server calls itself, or a function resolving client-side MCP tools
 * (e.g. `({ model }) => resolveMcpTools([server], { model }).then((r) => r.tools)`), asked once per run.
 */
export type AgentMcpServer =
  | McpServerTool
  | ((info: { model: string | undefined }) => Promise<readonly RunnerTool[]>);

export interface ModelSettings {
  generationConfig?: GenerationConfig;
  toolChoice?: ToolChoice;
}

export interface AgentConfig<TOutput = undefined, TContext = unknown> {
  /** Letters, digits, `_ . : -` (it names the handoff tool, `transfer_to_<name>`); unique among the agents of a run. */
  name: string;
  /** The system instruction, or a function of the run's context returning it (asked before every step). */
  instructions?: Instructions<TContext>;
  /** What this agent is for, told to agents that can hand off to it. */
  handoffDescription?: string;
  /** Default: the runner's `model`. */
  model?: string;
  /** Function tools, built-in tools (`googleSearch()`, …) and other agents as tools (`other.asTool(…)`). */
  tools?: readonly AgentToolEntry[];
  mcpServers?: readonly AgentMcpServer[];
  /** The final answer's schema: `result.output` is parsed, validated and typed. */
  outputType?: OutputSchema<TOutput>;
  /** Agents this one may hand the conversation to (an agent, or `handoff(agent, options)`). */
  handoffs?: readonly (AnyAgent | Handoff)[];
  /** Checked on the user's input text, next to the first model call, before any tool runs. */
  inputGuardrails?: readonly Guardrail<string, TContext>[];
  /** Checked on the final answer (`output` with an `outputType`, else the text). */
  outputGuardrails?: readonly Guardrail<unknown, TContext>[];
  /** Checked around every function tool call of this agent. */
  toolGuardrails?: ToolGuardrails<TContext>;
  modelSettings?: ModelSettings;
}

/** `agent.asTool(…)`: another agent offered as a function tool (resolved when an agent run uses it). */
export interface AgentAsTool {
  readonly kind: 'agent_tool';
  readonly agent: AnyAgent;
  readonly name: string;
  readonly description: string;
  readonly needsApproval: NeedsApproval<{ input: string }, unknown>;
}

export type AgentToolEntry = RunnerTool | AgentAsTool;

export interface AsToolOptions {
  /** The function name the parent's model calls. Default: the agent's name. */
  name?: string;
  /** What the sub-agent does, for the parent's model. Default: its `handoffDescription`. */
  description?: string;
  /** Ask a human before the sub-agent runs at all (its own tools can still ask for approval). */
  needsApproval?: NeedsApproval<{ input: string }, unknown>;
}

const AGENT_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,50}$/;

// biome-ignore lint/suspicious/noExplicitAny: a list of agents mixes unrelated output and context types.
export type AnyAgent = Agent<any, any>;

export class Agent<TOutput = undefined, TContext = unknown> {
  readonly name: string;
  readonly instructions: Instructions<TContext> | undefined;
  readonly handoffDescription: string | undefined;
  readonly model: string | undefined;
  readonly tools: readonly AgentToolEntry[];
  readonly mcpServers: readonly AgentMcpServer[];
  readonly outputType: OutputSchema<TOutput> | undefined;
  /** Mutable, so agents can hand off to each other (`a.handoffs.push(b)` after both exist). */
  readonly handoffs: (AnyAgent | Handoff)[];
  readonly inputGuardrails: readonly Guardrail<string, TContext>[];
  readonly outputGuardrails: readonly Guardrail<unknown, TContext>[];
  readonly toolGuardrails: ToolGuardrails<TContext>;
  readonly modelSettings: ModelSettings;

  constructor(config: AgentConfig<TOutput, TContext>) {
    if (typeof config.name !== 'string' || !AGENT_NAME.test(config.name)) {
      throw new AgentDefinitionError(
        `Invalid agent name ${JSON.stringify(config.name)} (field "name"): use letters, digits, "_", ".", ":" or "-", start with a letter or "_", at most 51 characters.`,
      );
    }
    const { instructions } = config;
    if (
      instructions !== undefined &&
      typeof instructions !== 'string' &&
      typeof instructions !== 'function'
    ) {
      throw new AgentDefinitionError(
        `Agent ${config.name}: "instructions" must be a string or a function.`,
        config.name,
      );
    }
    this.name = config.name;
    this.instructions = instructions;
    this.handoffDescription = config.handoffDescription;
    this.model = config.model;
    this.tools = config.tools ?? [];
    this.mcpServers = config.mcpServers ?? [];
    this.outputType = config.outputType;
    this.handoffs = [...(config.handoffs ?? [])];
    this.inputGuardrails = config.inputGuardrails ?? [];
    this.outputGuardrails = config.outputGuardrails ?? [];
    this.toolGuardrails = config.toolGuardrails ?? {};
    this.modelSettings = config.modelSettings ?? {};
  }

  /**
   * This agent as a tool of another: the call runs it in its own interaction chain with the `input` the
   * parent's model wrote, and its final answer (`output` when it has an `outputType`, else its text) is
   * the call's result. Its events reach the parent's stream tagged `agent: <name>`; when one of its tools
   * waits for approval, the whole run pauses (`result.interruptions` lists the call with `agent`).
   *
   * @example
   * const writer = new Agent({ name: 'writer', instructions: 'Write a short article from the notes.' });
   * const researcher = new Agent({
   *   name: 'researcher',
   *   tools: [googleSearch(), writer.asTool({ name: 'write_article', description: 'Writes the article.' })],
   * });
   */
  asTool(options: AsToolOptions = {}): AgentAsTool {
    return {
      kind: 'agent_tool',
      agent: this,
      name: options.name ?? this.name,
      description: options.description ?? this.handoffDescription ?? `Ask the ${this.name} agent.`,
      needsApproval: options.needsApproval ?? false,
    };
  }

  /** A copy with some fields changed (e.g. another model or stricter guardrails). */
  clone<T = TOutput>(changes: Partial<AgentConfig<T, TContext>>): Agent<T, TContext> {
    return new Agent<T, TContext>({ ...(this as unknown as AgentConfig<T, TContext>), ...changes });
  }
}

export const isAgentAsTool = (value: unknown): value is AgentAsTool =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'agent_tool';
