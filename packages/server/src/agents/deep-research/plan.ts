/**
 * The research plan: the question and the searches that answer it. The provider proposes the queries (a
 * numbered list); the agent renders the plan itself in a fixed form, so a later turn (collaborative planning:
 * refine or approve) can read it back from history whatever model wrote the queries.
 */
import type { Item } from '@interplay/protocol';
import { textOf } from './config.ts';

export interface ResearchPlan {
  /** One line: the research question. */
  question: string;
  queries: string[];
}

const PLAN_HEADER = 'Research plan: ';
const LIST_LINE = /^\s*(?:\d+[.)]|[-*•+])\s+(.+?)\s*$/;

/** The system instruction of the planning call. */
export const PLANNER_INSTRUCTION =
  'You plan web research for a research agent. Answer only with a numbered list of web search queries, ' +
  'one per line ("1. query"), most important first. No other text.';

/** The prompt of the planning call (its first line is fixed: offline scripts match on it). */
export function planPrompt(question: string, maxQueries: number): string {
  return [
    'Plan web research for a report.',
    `Question: ${question}`,
    `Write up to ${maxQueries} web search queries that together cover the question, one per line, numbered "1. ".`,
  ].join('\n');
}

/** The prompt of a planning call that revises a plan with the user's feedback. */
export function revisePrompt(plan: ResearchPlan, feedback: string, maxQueries: number): string {
  return [
    'Revise the web research plan.',
    `Question: ${plan.question}`,
    'Current queries:',
    ...plan.queries.map((q, i) => `${i + 1}. ${q}`),
    `Feedback: ${oneLine(feedback)}`,
    `Write the revised list of up to ${maxQueries} queries, one per line, numbered "1. ", the feedback first.`,
  ].join('\n');
}

/** Queries from a model's answer: numbered or bulleted lines, unquoted, de-duplicated, at most `max`. */
export function parseQueries(text: string, max: number): string[] {
  const seen = new Set<string>();
  const queries: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = LIST_LINE.exec(line);
    if (!match) continue;
    const query = oneLine(match[1]!.replace(/^["'“”]+|["'“”]+$/g, '').replace(/^(?:search|query):\s*/i, ''));
    const key = query.toLowerCase();
    if (!query || seen.has(key)) continue;
    seen.add(key);
    queries.push(query);
    if (queries.length >= max) break;
  }
  return queries;
}

/** The plan as the user sees it (the model_output of a collaborative-planning turn). */
export function renderPlan(plan: ResearchPlan): string {
  return [
    `${PLAN_HEADER}${plan.question}`,
    '',
    ...plan.queries.map((q, i) => `${i + 1}. ${q}`),
    '',
    'I will run these searches, read the most relevant sources and write a report with citations. ' +
      'Reply with changes to refine the plan (keep collaborative_planning on), or continue with ' +
      'collaborative_planning off to run it.',
  ].join('\n');
}

/** Reads a plan rendered by {@link renderPlan} back, or undefined if `text` is not one. */
export function parsePlan(text: string): ResearchPlan | undefined {
  const [first, ...rest] = text.split(/\r?\n/);
  if (!first?.startsWith(PLAN_HEADER)) return undefined;
  const question = first.slice(PLAN_HEADER.length).trim();
  const queries = rest.flatMap((line) => {
    const m = /^\d+\.\s+(.+?)\s*$/.exec(line);
    return m ? [m[1]!] : [];
  });
  return question && queries.length > 0 ? { question, queries } : undefined;
}

/** The plan awaiting approval: the latest model output of the history, when it is a rendered plan. */
export function pendingPlan(history: readonly Item[]): ResearchPlan | undefined {
  const last = history.findLast((item) => item.type === 'model_output');
  return last ? parsePlan(textOf(last.content)) : undefined;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Characters of the user's input the agent works from (the research question, or plan feedback). The
 * question goes into every prompt, thought and search, so it is bounded: a 100,000-character input costs what
 * a 2,000-character one does.
 */
export const MAX_QUESTION_CHARS = 2_000;

/** The input on one line, cut to {@link MAX_QUESTION_CHARS} at a word boundary (then `…`). */
export function researchQuestion(text: string): string {
  const line = oneLine(text.length > 4 * MAX_QUESTION_CHARS ? text.slice(0, 4 * MAX_QUESTION_CHARS) : text);
  if (line.length <= MAX_QUESTION_CHARS) return line;
  const cut = line.slice(0, MAX_QUESTION_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_QUESTION_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}
