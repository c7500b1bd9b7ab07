/**
 * The deep-research agent over several turns: collaborative planning (plan, refine, run the approved plan)
 * and a model interaction chained after the research, reading the report from the history.
 * Harness: `helpers/deep-research.ts`.
 */
import type { CanonicalRequest } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../src/agents/index.ts';
import type { EngineEvent } from '../src/engine/contract.ts';
import {
  ofType,
  reportOf,
  research,
  setup,
  site,
  types,
  useCorpusSite,
  userInput,
} from './helpers/deep-research.ts';

useCorpusSite();

// ---- collaborative planning ----------------------------------------------------------------------

describe('collaborative planning', () => {
  it('plans, refines with feedback, then runs the approved plan in a follow-up turn', async () => {
    const { engine } = setup();
    // Turn 1: the plan only.
    const one = await research(engine, {
      text: 'Research TPU history',
      config: { collaborative_planning: true },
    });
    expect(one.outcome.status).toBe('completed');
    expect(types(one.outcome.output)).toEqual(['model_output']);
    const plan1 = parsePlan(reportOf(one.outcome).text);
    expect(plan1).toEqual({
      question: 'Research TPU history',
      queries: ['TPU history', 'TPU', 'TPU timeline'],
    });

    // Turn 2 (previous_interaction_id = turn 1; planning still on): the plan revised with the feedback.
    const history2 = [...one.request.input, ...one.outcome.output];
    const two = await research(engine, {
      text: 'Focus on Ironwood.',
      config: { collaborative_planning: true },
      history: history2,
    });
    expect(types(two.outcome.output)).toEqual(['model_output']);
    const plan2 = parsePlan(reportOf(two.outcome).text)!;
    expect(plan2.question).toBe('Research TPU history');
    expect(plan2.queries).toEqual(['Ironwood', 'TPU history', 'TPU', 'TPU timeline']);

    // Turn 3 (planning off): approved — it runs plan 2 as is, for the original question.
    const three = await research(engine, {
      text: 'Looks good, go ahead.',
      history: [...history2, ...two.request.input, ...two.outcome.output],
    });
    expect(three.outcome.status).toBe('completed');
    const queries = ofType(three.outcome.output, 'google_search_call').map((c) => c.arguments.queries![0]);
    expect(queries).toEqual(plan2.queries);
    const report = reportOf(three.outcome);
    expect(report.text).toMatch(/^## Research TPU history\n/);
    expect(ofType(three.outcome.output, 'url_context_call')[0]!.arguments.urls).toContain(
      `${site.url}/techhistory.example/google-tpu/ironwood`,
    );
  });

  it('starts a new plan when the history holds no plan', async () => {
    const { engine } = setup();
    const { outcome } = await research(engine, {
      text: 'Research quantum entanglement',
      config: { collaborative_planning: true },
      history: [userInput('hello'), { type: 'model_output', content: [{ type: 'text', text: 'Hi!' }] }],
    });
    expect(parsePlan(reportOf(outcome).text)?.question).toBe('Research quantum entanglement');
  });
});

// ---- chaining a model step after the agent ---------------------------------------------------------

describe('a model interaction chained after the research', () => {
  it('gets the report from the history (previous_interaction_id), not from its own input', async () => {
    const { engine, provider } = setup();
    const first = await research(engine, { text: 'Research TPU history' });
    const report = reportOf(first.outcome).text;

    // The runtime's history for previous_interaction_id = the research: its input and output items.
    const history = [...first.request.input, ...first.outcome.output];
    let loads = 0;
    const summaryRequest: CanonicalRequest = {
      model: 'gemini-3-flash-preview',
      previous_interaction_id: 'int_research',
      input: [userInput('Summarize the report in 5 bullets.')],
    };
    const events: EngineEvent[] = [];
    provider.requests.length = 0;
    const summary = await engine.runTurn(
      {
        interactionId: 'int_summary',
        request: summaryRequest,
        history: async () => {
          loads += 1;
          return history;
        },
        signal: new AbortController().signal,
      },
      { emit: (e) => events.push(e) },
    );
    expect(summary.status).toBe('completed');
    expect(loads).toBe(1);
    // The model saw the report by reference (history), and the request itself did not carry it.
    const seen = provider.requests[0]!;
    expect(seen.model).toBe('gemini-3-flash-preview');
    expect(
      seen.items.some((i) => i.type === 'model_output' && JSON.stringify(i).includes('Key findings')),
    ).toBe(true);
    expect(JSON.stringify(summaryRequest.input)).not.toContain('Key findings');
    // The offline model summarizes the report as its first five findings.
    const text = reportOf(summary).text;
    expect(text.startsWith('Summary of the research report:\n- ')).toBe(true);
    const bullets = text.split('\n').slice(1);
    expect(bullets).toHaveLength(5);
    for (const bullet of bullets) expect(report).toContain(bullet);
  });
});
