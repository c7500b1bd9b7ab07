/**
 * The span of `interplay run`: the command's one call to the Interactions API, as the GenAI conventions name
 * it — `chat {model}` for a model, `invoke_agent {agent}` for an agent (a remote agent: a client span). Its
 * context is active while the command runs, so the client sends it as `traceparent` and the server's spans
 * for the interaction join the same trace. With no SDK registered it is a no-op.
 */
import { type CanonicalInteraction, GEN_AI, genAiUsage } from '@interplay/protocol';
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

export interface RunSpanTarget {
  model: string | undefined;
  agent: string | undefined;
}

/** What the command reports to its span: the interaction it ended with. */
export interface RunSpan {
  finished(interaction: CanonicalInteraction): void;
}

/** Run `command` inside the span; the span ends when it settles (an exit code other than 0 marks it failed). */
export async function traceRunCommand(
  target: RunSpanTarget,
  command: (span: RunSpan) => Promise<number>,
): Promise<number> {
  const operation = target.agent ? 'invoke_agent' : 'chat';
  const who = target.agent ?? target.model;
  const span = trace.getTracer('@interplay/cli').startSpan(who ? `${operation} ${who}` : operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      [GEN_AI.operation]: operation,
      [GEN_AI.provider]: 'gcp.gemini',
      ...(target.model ? { [GEN_AI.requestModel]: target.model } : {}),
      ...(target.agent ? { [GEN_AI.agentName]: target.agent } : {}),
    },
  });
  const report: RunSpan = { finished: (interaction) => record(span, interaction) };
  try {
    const code = await context.with(trace.setSpan(context.active(), span), () => command(report));
    if (code !== 0 && code !== 130)
      span.setStatus({ code: SpanStatusCode.ERROR, message: `exit code ${code}` });
    return code;
  } catch (error) {
    span.setAttribute(GEN_AI.errorType, error instanceof Error ? error.name : '_OTHER');
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    throw error;
  } finally {
    span.end();
  }
}

function record(span: Span, interaction: CanonicalInteraction): void {
  if (!span.isRecording()) return;
  span.setAttribute(GEN_AI.responseId, interaction.id);
  span.setAttribute(GEN_AI.finishReasons, [interaction.status]);
  span.setAttributes(genAiUsage(interaction.usage));
  const code = interaction.errors?.[0]?.code;
  if (interaction.status === 'failed')
    span.setAttribute(GEN_AI.errorType, typeof code === 'string' ? code : 'failed');
}
