/**
 * The deep-research agent's phases, as data: plan → search → read → synthesize → done. Each phase carries
 * what the next one needs; the agent (agent.ts) performs a phase and gets the next one back. Where a turn
 * starts depends on collaborative planning (see {@link firstPhase}).
 */
import type { ErrorBody } from '@interplay/protocol';
import type { ResearchPlan } from './plan.ts';
import type { Hit, Source } from './sources.ts';

export type Phase =
  /** Ask the provider for search queries — a new plan, or `revise` one with the user's feedback. */
  | { kind: 'plan'; question: string; revise?: { plan: ResearchPlan; feedback: string } }
  /** Run each query as a `google_search_call`. */
  | { kind: 'search'; plan: ResearchPlan }
  /** Read the best hits with one `url_context_call` (snippets only without url_context). Per query, ranked. */
  | { kind: 'read'; plan: ResearchPlan; hits: Hit[][] }
  /** Ask the provider for the report from the sources; stream it with citations. */
  | { kind: 'synthesize'; plan: ResearchPlan; sources: Source[] }
  | { kind: 'done'; status: 'completed' | 'cancelled' | 'budget_exceeded' }
  | { kind: 'done'; status: 'failed'; error: ErrorBody };

export type PhaseKind = Phase['kind'];

/**
 * Where a turn starts:
 * - collaborative planning on, a plan awaiting approval in the history → revise it with this input;
 * - collaborative planning on, no plan → plan this input;
 * - collaborative planning off, a plan awaiting approval → approved: run it (this input is the approval);
 * - otherwise → plan this input, then research.
 */
export function firstPhase(o: {
  input: string;
  pending: ResearchPlan | undefined;
  collaborative: boolean;
}): Phase {
  if (o.pending && o.collaborative)
    return { kind: 'plan', question: o.pending.question, revise: { plan: o.pending, feedback: o.input } };
  if (o.pending) return { kind: 'search', plan: o.pending };
  return { kind: 'plan', question: o.input };
}

/** After planning: present the plan and stop (collaborative), or go and search. */
export function afterPlan(plan: ResearchPlan, collaborative: boolean): Phase {
  return collaborative ? { kind: 'done', status: 'completed' } : { kind: 'search', plan };
}

/** After searching: read what was found, or write the report from nothing (it then says so). */
export function afterSearch(plan: ResearchPlan, hits: Hit[][]): Phase {
  if (hits.some((list) => list.length > 0)) return { kind: 'read', plan, hits };
  return { kind: 'synthesize', plan, sources: [] };
}
