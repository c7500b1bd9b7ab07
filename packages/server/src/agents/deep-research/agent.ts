/**
 * The deep-research agent: a real multi-step agent on the server's provider and its google_search /
 * url_context tools. One turn runs the phases of state.ts —
 *
 *   plan        the provider proposes search queries (or revises the plan with the user's feedback)
 *   search      one `google_search_call` per query, run by the server's google_search tool, in parallel
 *   read        one `url_context_call` for the best hits (round-robin over the queries)
 *   synthesize  the provider writes the report from the notes and sources; the agent streams it, appends
 *               the sources it cites and adds `url_citation` annotations
 *   done
 *
 * — streaming each as steps: a `thought` with a summary per phase (only with `thinking_summaries: auto`), the
 * tool call/result steps, and the report as the final `model_output`. With `collaborative_planning: true`
 * the turn ends after the plan (its text is the output); a follow-up with `previous_interaction_id` and
 * planning off runs it. Cancel (the signal) stops it between any two events. See docs/deep-research.md.
 */

import type {
  CanonicalRequest,
  ErrorBody,
  ImageContent,
  Item,
  MediaContent,
  Tool,
  Usage,
} from '@interplay/protocol';
import type { TurnOutcome } from '../../engine/contract.ts';
import { toErrorBody } from '../../engine/errors.ts';
import { runToolRound } from '../../engine/tool-runner.ts';
import { addUsage, emptyUsage } from '../../engine/usage.ts';
import type { MediaOutput, Provider, ProviderEvent, ProviderEvents } from '../../providers/provider.ts';
import { newCallId } from '../../runtime/ids.ts';
import { traceProviderCall } from '../../telemetry/spans.ts';
import { type Agent, type AgentContext, providerFor } from '../agent.ts';
import { barChartPng, topicCoverage } from './chart.ts';
import {
  DEEP_RESEARCH_AGENTS,
  type ResearchBudget,
  type ResearchConfig,
  researchBudget,
  researchConfig,
  researchTools,
  textOf,
  validateResearchRequest,
} from './config.ts';
import {
  PLANNER_INSTRUCTION,
  parseQueries,
  pendingPlan,
  planPrompt,
  type ResearchPlan,
  renderPlan,
  researchQuestion,
  revisePrompt,
} from './plan.ts';
import { reportCitations, sourcesSection, synthesisPrompt, WRITER_INSTRUCTION } from './report.ts';
import { hitsOf, type Source, selectHits, sourcesFrom, takeNotes } from './sources.ts';
import { afterPlan, afterSearch, firstPhase, type Phase } from './state.ts';

export { DEEP_RESEARCH_AGENTS };

export interface DeepResearchOptions {
  /**
   * The model id the agent asks the provider for (planning and writing). Default `gemini-3.1-pro-preview`.
   * When no provider serves it, the provider serving the agent's own id is used.
   */
  model?: string;
  /** Override the research budget (queries, sources) of every deep-research id. */
  budget?: Partial<ResearchBudget>;
}

export function deepResearchAgent(options: DeepResearchOptions = {}): Agent {
  const model = options.model ?? 'gemini-3.1-pro-preview';
  return {
    name: 'deep-research',
    validate: validateResearchRequest,
    run: (ctx) => new Research(ctx, model, options.budget).run(),
  };
}

type Next = Promise<Phase>;

/** One research turn: the phase loop and what each phase does. */
class Research {
  readonly #ctx: AgentContext;
  readonly #model: string;
  readonly #config: ResearchConfig;
  readonly #budget: ResearchBudget;
  readonly #tools: Tool[];
  #provider: Provider | undefined;
  #usage: Usage = emptyUsage();
  #searches = 0;
  /** user_input / model_output items of earlier interactions: the conversation the provider sees. */
  #conversation: Item[] = [];

  constructor(ctx: AgentContext, model: string, budget: Partial<ResearchBudget> | undefined) {
    this.#ctx = ctx;
    this.#model = model;
    this.#config = researchConfig(ctx.request);
    this.#budget = { ...researchBudget(ctx.request.agent ?? ''), ...budget };
    this.#tools = researchTools(ctx.request);
  }

  async run(): Promise<TurnOutcome> {
    const { request, signal, writer } = this.#ctx;
    let phase: Phase;
    try {
      phase = await this.#start(request);
      while (phase.kind !== 'done') {
        if (signal.aborted) {
          phase = { kind: 'done', status: 'cancelled' };
          break;
        }
        phase = await this.#perform(phase);
        if (phase.kind !== 'done' && this.#overBudget()) phase = { kind: 'done', status: 'budget_exceeded' };
      }
    } catch (error) {
      phase = signal.aborted
        ? { kind: 'done', status: 'cancelled' }
        : { kind: 'done', status: 'failed', error: toErrorBody(error) };
    }
    writer.close();
    const usage = this.#finalUsage();
    if (phase.status === 'failed')
      return { status: 'failed', output: writer.output, usage, error: phase.error };
    return { status: phase.status, output: writer.output, usage };
  }

  /** Whether the turn has spent its token budget (checked between phases). */
  #overBudget(): boolean {
    const max = this.#budget.maxTotalTokens;
    return max !== undefined && (this.#finalUsage().total_tokens ?? 0) > max;
  }

  async #start(request: CanonicalRequest): Next {
    const history = await this.#ctx.history();
    this.#conversation = history.filter((i) => i.type === 'user_input' || i.type === 'model_output');
    const provider = providerFor(this.#ctx.providers, this.#model, request.agent);
    if (!provider) return failed('model_not_found', `no provider serves the model '${this.#model}'`);
    this.#provider = provider;
    const input = researchQuestion(request.input.map((item) => textOf(item.content)).join(' '));
    if (!input) return failed('invalid_request', "'input': the research question is empty");
    return firstPhase({
      input,
      pending: pendingPlan(history),
      collaborative: this.#config.collaborativePlanning,
    });
  }

  #perform(phase: Exclude<Phase, { kind: 'done' }>): Next {
    switch (phase.kind) {
      case 'plan':
        return this.#plan(phase);
      case 'search':
        return this.#search(phase.plan);
      case 'read':
        return this.#read(phase);
      case 'synthesize':
        return this.#synthesize(phase);
    }
  }

  // ---- plan ------------------------------------------------------------------------------------------

  async #plan({ question, revise }: Extract<Phase, { kind: 'plan' }>): Next {
    const { maxQueries } = this.#budget;
    const prompt = revise
      ? revisePrompt(revise.plan, revise.feedback, maxQueries)
      : planPrompt(question, maxQueries);
    const answer = await this.#generate(PLANNER_INSTRUCTION, prompt);
    let queries = parseQueries(answer.text, maxQueries);
    // A model that answered in prose still gets its research: the question itself is the one search.
    if (queries.length === 0) queries = revise ? revise.plan.queries : [question];
    const plan: ResearchPlan = { question, queries };
    this.#think(
      revise ? 'Revising the research plan' : 'Planning the research',
      `${revise ? `Taking the feedback "${revise.feedback}" into account, I` : 'I'} will search for: ` +
        `${queries.map((q) => `"${q}"`).join('; ')}. Then I will read the most relevant sources and write ` +
        'a report that cites them.',
    );
    if (this.#config.collaborativePlanning) {
      this.#ctx.writer.text(renderPlan(plan));
      this.#ctx.writer.close();
    }
    return afterPlan(plan, this.#config.collaborativePlanning);
  }

  // ---- search ----------------------------------------------------------------------------------------

  async #search(plan: ResearchPlan): Next {
    if (!this.#offers('google_search')) {
      this.#think('Searching the web', 'google_search is not enabled for this request, so I cannot search.');
      return afterSearch(plan, []);
    }
    this.#think(
      'Searching the web',
      `Running ${plan.queries.length} ${plan.queries.length === 1 ? 'search' : 'searches'}: ` +
        `${plan.queries.map((q) => `"${q}"`).join('; ')}.`,
    );
    const calls = plan.queries.map((query) => ({
      type: 'google_search_call' as const,
      id: newCallId(),
      arguments: { queries: [query] },
    }));
    const results = await this.#runTools(calls);
    this.#searches += calls.length;
    return afterSearch(plan, hitsOf(results));
  }

  // ---- read ------------------------------------------------------------------------------------------

  async #read({ plan, hits }: Extract<Phase, { kind: 'read' }>): Next {
    const chosen = selectHits(hits, this.#budget.maxSources);
    const found = hits.reduce((n, list) => n + list.length, 0);
    if (!this.#offers('url_context')) {
      this.#think(
        'Reading the sources',
        `Found ${found} results. url_context is not enabled, so I will work from the search snippets of ` +
          `the ${chosen.length} most relevant.`,
      );
      return { kind: 'synthesize', plan, sources: sourcesFrom(chosen, undefined) };
    }
    this.#think(
      'Reading the sources',
      `Found ${found} results; reading the ${chosen.length} most relevant: ` +
        `${chosen.map((h) => h.title).join('; ')}.`,
    );
    const call = {
      type: 'url_context_call' as const,
      id: newCallId(),
      arguments: { urls: chosen.map((h) => h.url) },
    };
    const [page] = await this.#runTools([call]);
    return { kind: 'synthesize', plan, sources: sourcesFrom(chosen, page) };
  }

  // ---- synthesize ------------------------------------------------------------------------------------

  async #synthesize({ plan, sources }: Extract<Phase, { kind: 'synthesize' }>): Next {
    const { writer } = this.#ctx;
    const notes = takeNotes(sources, `${plan.question} ${plan.queries.join(' ')}`);
    const read = sources.filter((s) => s.read).length;
    this.#think(
      'Writing the report',
      sources.length === 0
        ? 'No sources were found, so the report can only say what is missing.'
        : `Drawing on ${sources.length} sources (${read} read in full) and ${notes.length} notes to answer ` +
            `"${plan.question}".`,
    );
    if (this.#config.visualization === 'auto')
      await this.#chart(sources, `${plan.question} ${plan.queries.join(' ')}`);
    const prompt = synthesisPrompt(plan.question, notes, sources, this.#config.visualization);
    // The report streams as the provider writes it; images wait until the text is complete and annotated.
    const answer = await this.#generate(WRITER_INSTRUCTION, prompt, (delta) => writer.text(delta));
    if (!answer.text.trim()) return failed('api_error', 'the model wrote no report');
    const body = answer.text;
    writer.text(sourcesSection(body, sources));
    writer.text('', reportCitations(body, sources));
    if (this.#config.visualization === 'auto')
      for (const image of answer.media.filter(isImage)) writer.media(image);
    writer.close();
    return { kind: 'done', status: 'completed' };
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  /**
   * The report's figure, drawn here: an image step of its own before the report, so the report stays the
   * last output (where clients read it: `outputs[-1]`, `steps[-1].content[0]`) and the answer's text is the
   * report's alone. Its bars are numbered like the report's sources (docs/deep-research.md).
   */
  async #chart(sources: readonly Source[], topic: string): Promise<void> {
    const coverage = topicCoverage(sources, topic);
    if (!coverage.some((n) => n > 0)) return;
    const png = await barChartPng(coverage);
    const { writer } = this.#ctx;
    writer.media({ type: 'image', mime_type: 'image/png', data: png.toString('base64') });
    writer.close();
  }

  /** A thought step with a summary, when the request asked for thinking summaries. */
  #think(title: string, body: string): void {
    if (this.#config.thinkingSummaries !== 'auto') return;
    this.#ctx.writer.thoughtSummary([{ type: 'text', text: `**${title}**\n\n${body}` }]);
  }

  #offers(toolType: string): boolean {
    return this.#tools.some((t) => t.type === toolType);
  }

  /** Emits the calls, runs them on the server's tools (in parallel), emits each result; results in call order. */
  async #runTools(calls: Item[]): Promise<Item[]> {
    const { writer, tools, signal, interactionId, owner, toolConcurrency, toolTimeoutMs } = this.#ctx;
    for (const call of calls) writer.item(call);
    const byCall = new Map<string, Item>();
    const ran = await runToolRound({
      calls,
      registry: tools,
      offered: this.#tools,
      interactionId,
      owner: owner ?? null,
      signal,
      concurrency: toolConcurrency,
      timeoutMs: toolTimeoutMs,
      onResult: (result) => {
        writer.item(result);
        byCall.set(String(result.call_id), result);
      },
    });
    if (ran.kind === 'aborted') throw signal.reason ?? new DOMException('cancelled', 'AbortError');
    if (ran.kind === 'failed') throw Object.assign(new Error(ran.error.message), { code: ran.error.code });
    return calls.flatMap((call) => {
      const result = byCall.get(String(call.id));
      return result ? [result] : [];
    });
  }

  /** One provider call: its text (each delta also to `onText`), media, and usage (added to the turn's). */
  async #generate(
    instruction: string,
    prompt: string,
    onText?: (delta: string) => void,
  ): Promise<{ text: string; media: MediaOutput[] }> {
    const { signal, interactionId } = this.#ctx;
    const provider = this.#provider!;
    const request = {
      interactionId,
      model: this.#model,
      system_instruction: instruction,
      items: [
        ...this.#conversation,
        { type: 'user_input' as const, content: [{ type: 'text' as const, text: prompt }] },
      ],
    };
    const call = async () => {
      let text = '';
      const media: MediaOutput[] = [];
      let usage: Usage = {};
      for await (const event of untilAborted(provider.generate(request, signal), signal)) {
        if (event.type === 'text') {
          text += event.text;
          if (event.text) onText?.(event.text);
        } else if (event.type === 'media') media.push(event.content);
        else if (event.type === 'usage') usage = event.usage;
        // Thoughts and tool calls of the provider are its own business: the agent reports its phases instead.
      }
      return { text, media, usage };
    };
    const { text, media, usage } = await traceProviderCall(
      provider.name,
      request,
      interactionId,
      request.items,
      call,
      (done) => ({ usage: done.usage, output: [modelText(done.text)] }),
    );
    this.#usage = addUsage(this.#usage, usage);
    return { text, media };
  }

  #finalUsage(): Usage {
    if (this.#searches === 0) return this.#usage;
    return addUsage(this.#usage, {
      grounding_tool_count: [{ type: 'google_search', count: this.#searches }],
    });
  }
}

function failed(code: string, message: string): Phase {
  const error: ErrorBody = { code, message };
  return { kind: 'done', status: 'failed', error };
}

/** A provider call's text as an output item, for its span. */
function modelText(text: string): Item {
  return { type: 'model_output', content: [{ type: 'text', text }] };
}

function isImage(content: MediaContent): content is ImageContent {
  return content.type === 'image';
}

/** Iterates `events`, throwing the signal's reason as soon as it aborts (even if the provider hangs). */
async function* untilAborted(events: ProviderEvents, signal: AbortSignal): AsyncGenerator<ProviderEvent> {
  if (!(Symbol.asyncIterator in events)) {
    for (const event of events) {
      signal.throwIfAborted();
      yield event;
    }
    return;
  }
  const iterator = events[Symbol.asyncIterator]();
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException('cancelled', 'AbortError'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    void iterator.return?.()?.catch(() => {});
  }
}
