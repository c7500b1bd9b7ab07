/**
 * The deep-research agent's settings: `agent_config` as the request gives it (defaults from the reference §8)
 * and the research budget of each agent id (how many searches and sources).
 */
import { type CanonicalRequest, InteractionsError, type Tool } from '@interplay/protocol';

/** The three published ids; any other `deep-research-*` id gets the pro budget. */
export const DEEP_RESEARCH_AGENTS = [
  'deep-research-pro-preview-12-2025',
  'deep-research-preview-04-2026',
  'deep-research-max-preview-04-2026',
] as const;

export interface ResearchConfig {
  /** `auto`: stream a `thought` step with a summary at each phase. Default `none`. */
  thinkingSummaries: 'auto' | 'none';
  /** `auto`: keep images the provider draws for the report. `off`: never. Default `auto`. */
  visualization: 'auto' | 'off';
  /** `true`: the turn ends after the plan (status completed), for the user to refine or approve. */
  collaborativePlanning: boolean;
}

export interface ResearchBudget {
  /** Most search queries in a plan (each is one `google_search_call`). */
  maxQueries: number;
  /** Most sources read (one `url_context_call`) and cited. */
  maxSources: number;
  /**
   * Most tokens (`usage.total_tokens`: the model's calls and the tools') one research turn may spend. Past it
   * the turn stops after the phase under way and ends `budget_exceeded`, keeping what it produced. Default:
   * no limit.
   */
  maxTotalTokens?: number;
}

/** Reads `request.agent_config` with the documented defaults. Call after {@link validateResearchRequest}. */
export function researchConfig(request: CanonicalRequest): ResearchConfig {
  const c = (request.agent_config ?? {}) as Record<string, unknown>;
  return {
    thinkingSummaries: c.thinking_summaries === 'auto' ? 'auto' : 'none',
    visualization: c.visualization === 'off' ? 'off' : 'auto',
    collaborativePlanning: c.collaborative_planning === true,
  };
}

export function researchBudget(agent: string): ResearchBudget {
  if (agent.startsWith('deep-research-max')) return { maxQueries: 5, maxSources: 8 };
  if (agent === 'deep-research-preview-04-2026') return { maxQueries: 3, maxSources: 4 };
  return { maxQueries: 4, maxSources: 5 };
}

/** The tools the agent may use: the request's, or (when it sends none) the reference's defaults. */
export function researchTools(request: CanonicalRequest): Tool[] {
  return request.tools ?? [{ type: 'google_search' }, { type: 'url_context' }, { type: 'code_execution' }];
}

const CONFIG_FIELDS: Record<string, (v: unknown) => boolean> = {
  thinking_summaries: (v) => v === 'auto' || v === 'none',
  visualization: (v) => v === 'auto' || v === 'off',
  collaborative_planning: (v) => typeof v === 'boolean',
};

/**
 * What the Deep Research agent refuses (reference §8 "Limitations"): no background, `store:false`,
 * `system_instruction`, function tools, structured output, or an `agent_config` of another type.
 */
export function validateResearchRequest(request: CanonicalRequest): InteractionsError | undefined {
  const agent = request.agent ?? 'deep-research';
  const bad = (field: string, message: string) =>
    new InteractionsError('invalid_request', message, { field });
  if (request.background !== true) {
    return bad(
      'background',
      `The agent '${agent}' runs in the background: set 'background' to true (and poll or stream the interaction).`,
    );
  }
  if (request.store === false) {
    return bad('store', `The agent '${agent}' needs a stored interaction: 'store' cannot be false.`);
  }
  if (request.system_instruction !== undefined) {
    return bad(
      'system_instruction',
      `'system_instruction' is not supported for the deep-research-* agent '${agent}'; put guidance in 'input'.`,
    );
  }
  const fn = (request.tools ?? []).findIndex((t) => t.type === 'function');
  if (fn >= 0) {
    return bad(
      `tools[${fn}]`,
      `'tools[${fn}]': function tools are not supported by the deep-research-* agent '${agent}' ` +
        '(it uses google_search and url_context).',
    );
  }
  if (request.output_format?.schema !== undefined) {
    return bad(
      'response_format',
      `'response_format': the agent '${agent}' does not support structured output.`,
    );
  }
  const config = request.agent_config as Record<string, unknown> | undefined;
  if (config !== undefined) {
    if (config.type !== 'deep-research') {
      return bad(
        'agent_config.type',
        `'agent_config.type' must be 'deep-research' for the agent '${agent}', got ${JSON.stringify(config.type)}.`,
      );
    }
    for (const [field, ok] of Object.entries(CONFIG_FIELDS)) {
      if (config[field] !== undefined && !ok(config[field])) {
        return bad(
          `agent_config.${field}`,
          `'agent_config.${field}' has an invalid value ${JSON.stringify(config[field])}.`,
        );
      }
    }
  }
  if (!request.input.some((item) => item.type === 'user_input' && textOf(item.content).trim() !== '')) {
    return bad('input', `'input': the agent '${agent}' needs a text question (or plan feedback).`);
  }
  return undefined;
}

/** Text parts of a content list, joined with spaces. */
export function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .flatMap((part: { type?: unknown; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
    )
    .join(' ');
}
