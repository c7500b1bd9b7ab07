/**
 * The canonical request of one model call. Tools, instructions and generation config are re-sent every time
 * (the API does not inherit them through `previous_interaction_id`). Stateful mode sends only the new items
 * and chains by id; stateless mode sends `store: false` and the whole history before the new items.
 */
import type { CanonicalRequest, GenerationConfig } from '@interplay/protocol';
import type { LoopConfig } from './loop.ts';
import type { StepOverrides } from './options.ts';
import type { RunState } from './state.ts';
import type { ToolSet } from './tool-set.ts';

export function buildRequest(
  cfg: LoopConfig,
  state: RunState,
  overrides: StepOverrides,
  tools: ToolSet,
): CanonicalRequest {
  const request: CanonicalRequest = {
    input: state.mode === 'stateless' ? [...state.history, ...state.pendingInput] : [...state.pendingInput],
  };
  const model = overrides.model ?? cfg.model;
  if (model !== undefined) request.model = model;
  if (cfg.agent !== undefined) request.agent = cfg.agent;
  const instructions = overrides.instructions ?? cfg.instructions;
  if (instructions !== undefined) request.system_instruction = instructions;
  const declarations = [...[...tools.functionTools.values()].map((t) => t.declaration), ...tools.hostedTools];
  if (declarations.length > 0) request.tools = declarations;
  const toolChoice = overrides.toolChoice ?? cfg.toolChoice;
  const generation: GenerationConfig = {
    ...cfg.generationConfig,
    ...overrides.generationConfig,
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
  };
  if (Object.keys(generation).length > 0) request.generation_config = generation;
  if (cfg.outputFormat) request.output_format = cfg.outputFormat;
  if (state.mode === 'stateless') request.store = false;
  else if (state.lastInteractionId !== undefined) request.previous_interaction_id = state.lastInteractionId;
  if (cfg.stream) request.stream = true;
  return request;
}
