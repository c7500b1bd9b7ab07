/**
 * Parts 3 and 4 — one composed flow, `chain(research, summarize)`:
 *   3. Deep Research as a background agent step (thinking summaries on), followed live: phase, searches, pages
 *      read, elapsed time;
 *   4. a model step that continues the research interaction by `previous_interaction_id` (the report is not
 *      re-sent) and summarizes it. The report's first lines and its sources are printed before the summary.
 */
import { agentStep, chain, type FlowStepResult, modelStep } from '@interplay/core';
import type { DemoEnv } from './env.ts';
import { type DemoOutput, ResearchProgress } from './output.ts';
import { printReport } from './report.ts';

export const RESEARCH_PROMPT = 'Research the history of Google TPUs.';
export const SUMMARY_PROMPT = 'Summarize the report in five short bullet points for a busy reader.';

export async function researchAndSummarize(
  env: DemoEnv,
  out: DemoOutput,
  signal: AbortSignal,
): Promise<void> {
  out.heading(3, 'Deep Research in the background', `agent ${env.agent}, thought summaries on`);
  out.line(`user: ${RESEARCH_PROMPT}`);
  const research = agentStep({
    name: 'research',
    agent: env.agent,
    background: true,
    agentConfig: { thinking_summaries: 'auto' },
  });
  const summarize = modelStep({ name: 'summarize', model: env.model, input: SUMMARY_PROMPT });

  let progress: ResearchProgress | undefined;
  const handle = await chain(research, summarize).start(env.client, RESEARCH_PROMPT, {
    signal,
    onProgress: (e) => {
      if (e.type === 'flow_start' || e.type === 'flow_finish') return;
      if (e.step === 'research') {
        if (e.type === 'step_start') {
          out.line(
            `background interaction ${e.interactionId} (create returned at once; following its stream)`,
          );
          progress = new ResearchProgress(out.out, 'Deep Research');
        } else if (e.type === 'step_finish') {
          progress?.done(e.result.status);
          if (e.result.status === 'completed') {
            printReport(e.result, env, out);
            out.heading(
              4,
              'Summary, chained',
              'a model step continuing the research by previous_interaction_id',
            );
            out.line(`user: ${SUMMARY_PROMPT}`);
          }
        } else progress?.push(e);
      } else if (e.step === 'summarize') {
        if (e.type === 'text_delta') out.answerDelta(e.delta, 'summary');
      }
    },
  });
  const result = await handle.result();
  if (result.status !== 'completed') {
    const why = result.error ? `${result.error.step}: ${result.error.code}: ${result.error.message}` : '';
    throw new Error(`the research flow ended ${result.status}${why ? ` (${why})` : ''}`);
  }
  const summary = result.steps.summarize as FlowStepResult;
  out.endAnswer(summary.text, 'summary');
  out.note(
    `summarize = interaction ${summary.interactionId}, previous_interaction_id ${summary.previousInteractionId}` +
      ` · flow ${result.usage.total_tokens ?? 0} tokens`,
  );
}
