/**
 * Offline answers for the deep-research agent's provider calls, as scripted-provider rules. The agent's own
 * prompts start with fixed lines ("Plan web research for a report.", "Write the research report.", …) so
 * these rules recognize them; put them FIRST in a script (the default server script does):
 *
 * ```ts
 * createScriptedProvider({ script: { rules: [...DEEP_RESEARCH_RULES, ...myRules] } });
 * ```
 *
 * What they do, deterministically: plan up to three searches from the question's topic (the topic, its
 * core without a generic last word like "history", the core's timeline); revise a plan by putting
 * the user's feedback first; write the report as the notes the agent took while reading (each already tagged
 * `[n]` with its source), under a heading — plus a placeholder chart when the question asks for one and
 * visualization is allowed; and summarize a report found in the history (a chained model step) as its first
 * five findings. A real model writes real prose from the same prompts.
 */
import type { ScriptInput } from '../../providers/scripted/script.ts';

type Rule = ScriptInput['rules'][number];

/**
 * "Research the TPU history." → topic "TPU history", core "TPU"; "the history of the Google TPUs" → core
 * "Google TPUs" (the topic without a generic word like "history" before or after it).
 */
const TOPIC =
  '(?:(?:please|can you|could you)\\s+)?' +
  '(?:(?:research|investigate|look into|find out about|tell me about|write a report (?:on|about)|report on|explain|chart|plot|graph|visuali[sz]e)\\s+)?' +
  '(?:the\\s+)?(?<topic>(?:(?:history|timeline|evolution|origins?|story) of\\s+(?:the\\s+)?)?(?<core>[^\\n]+?)' +
  '(?:\\s+(?:history|timeline|overview|evolution|origins?|developments?|background|basics))?)[\\s?.!]*';

const REPORT_HEAD =
  '^Write the research report\\.\\nQuestion: (?<question>[^\\n]*)\\nVisualization: (?<visualization>\\w+)\\n' +
  'Notes:\\n(?<notes>[\\s\\S]*?)\\nEnd of notes\\.';

const REPORT_TEXT =
  '## {{question}}\n\nKey findings:\n\n{{notes}}\n\n' +
  'This offline report lists the notes the agent took while reading its sources (the scripted model ' +
  'cannot write prose); connect a real model for a written synthesis.';

export const DEEP_RESEARCH_RULES: Rule[] = [
  {
    name: 'deep research: plan',
    when: { input: `^Plan web research for a report\\.\\nQuestion: ${TOPIC}\\n` },
    respond: '1. {{topic}}\n2. {{core}}\n3. {{core}} timeline',
  },
  {
    name: 'deep research: revise the plan',
    when: {
      input:
        '^Revise the web research plan\\.\\nQuestion: [^\\n]*\\nCurrent queries:\\n(?<current>(?:\\d+\\. [^\\n]*\\n)+)' +
        'Feedback: (?:(?:please\\s+)?(?:also\\s+)?(?:focus (?:more )?on|cover|include|add|look at|search for)\\s+)?' +
        '(?<feedback>[^\\n]+?)[\\s.!]*\\n',
    },
    respond: '1. {{feedback}}\n{{current}}',
  },
  {
    name: 'deep research: report with a chart',
    when: {
      input: REPORT_HEAD.replace(
        '(?<question>[^\\n]*)',
        '(?<question>[^\\n]*\\b(?:chart|graph|plot|diagram|visuali[sz]\\w*)\\b[^\\n]*)',
      ).replace('(?<visualization>\\w+)', 'allowed'),
    },
    respond: [
      { type: 'text', text: REPORT_TEXT },
      { type: 'image', mime_type: 'image/png' },
    ],
  },
  { name: 'deep research: report', when: { input: REPORT_HEAD }, respond: REPORT_TEXT },
  {
    name: 'summarize a research report from the history',
    when: {
      input: '\\bsummari[sz]e\\b',
      history: 'Key findings:\\n\\n(?<findings>- [^\\n]+(?:\\n- [^\\n]+){0,4})',
    },
    respond: 'Summary of the research report:\n{{findings}}',
  },
];
