/**
 * The canonical request of one model call. Tools, instructions and generation config are re-sent every time
 * (the API does not inherit them through `previous_interaction_id`). Stateful mode sends only the new items
 * and chains by id; stateless mode sends `store: false` and the whole history before the new items.
 */
import type { CanonicalRequest, GenerationConfig, Tool as WireTool } from '@interplay/protocol';
import type { AnyTool } from '../tool/tool.ts';
import type { LoopConfig } from './loop.ts';
import type { StepOverrides } from './options.ts';
import type { RunState } from './state.ts';

export function buildRequest(
  cfg: LoopConfig,
  state: RunState,
  overrides: StepOverrides,
  functionTools: ReadonlyMap<string, AnyTool>,
  hostedTools: readonly WireTool[],
): CanonicalRequest {
  const tools = declarations(functionTools, hostedTools);
  const toolChoice = overrides.toolChoice ?? cfg.toolChoice;
  const generation: GenerationConfig | undefined =
    cfg.generationConfig === undefined && overrides.generationConfig === undefined && toolChoice === undefined
      ? undefined
      : {
          ...cfg.generationConfig,
          ...overrides.generationConfig,
          ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
        };
  const request: CanonicalRequest = {
    input: state.mode === 'stateless' ? [...state.history, ...state.pendingInput] : [...state.pendingInput],
  };
  const model = overrides.model ?? cfg.model;
  const instructions = overrides.instructions ?? cfg.instructions;
  if (model !== undefined) request.model = model;
  if (cfg.agent !== undefined) request.agent = cfg.agent;
  if (instructions !== undefined) request.system_instruction = instructions;
  if (tools.length > 0) request.tools = tools;
  if (generation !== undefined && Object.keys(generation).length > 0) request.generation_config = generation;
  if (cfg.outputFormat) request.output_format = cfg.outputFormat;
  if (state.mode === 'stateless') request.store = false;
  else if (state.lastInteractionId !== undefined) request.previous_interaction_id = state.lastInteractionId;
  if (cfg.stream) request.stream = true;
  return request;
}

/** The declarations offered, built once per tool set (the same every step unless `prepareStep` changes them). */
const offered = new WeakMap<
  ReadonlyMap<string, AnyTool>,
  { hosted: readonly WireTool[]; tools: WireTool[] }
>();

function declarations(
  functionTools: ReadonlyMap<string, AnyTool>,
  hostedTools: readonly WireTool[],
): WireTool[] {
  const cached = offered.get(functionTools);
  if (cached?.hosted === hostedTools) return cached.tools;
  // Frozen: every request of the run shares it.
  const tools = Object.freeze([
    ...[...functionTools.values()].map((t) => t.declaration),
    ...hostedTools,
  ]) as WireTool[];
  offered.set(functionTools, { hosted: hostedTools, tools });
  return tools;
}
