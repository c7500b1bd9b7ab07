/**
 * The scripted model behind every benchmark: one script, built the same way in the server process and read
 * by the scenarios (which know the prompts that select each rule).
 */

export const MODEL = 'bench-model';

/** The no-op tool of the loop benchmark: offered on every call, the model calls it again and again. */
export const LOOP_TOOL = 'noop';
export const LOOP_PROMPT = 'bench loop';

/** Fan-out sizes the script knows: `bench fan N` answers with N calls (`t_0` … `t_{N-1}`) in one step. */
export const FAN_SIZES = [3, 50] as const;
export const fanPrompt = (n: number): string => `bench fan ${n}`;
export const fanToolName = (i: number): string => `t_${i}`;

/** Long answers (replay, fan-out): `bench words N` streams N word deltas. */
export const WORD_SIZES = [50, 1_000, 10_000] as const;
export const wordsPrompt = (n: number): string => `bench words ${n}`;

/**
 * A slow answer for memory: `bench slow` streams SLOW_WORDS deltas, `delay_ms` apart. Few words and a long
 * delay, so what a waiting interaction holds is the server's own state, not a long pre-split answer.
 */
export const SLOW_PROMPT = 'bench slow';
export const SLOW_WORDS = 20;

/** The memory benchmark's client tool: `bench hold` calls `hold` once, which waits until released. */
export const HOLD_TOOL = 'hold';
export const HOLD_PROMPT = 'bench hold';

export const CHAT_ANSWER = 'The answer is forty-two.';

export function words(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`w${i}`);
  return out.join(' ');
}

export function benchScript(delayMs = 0): { delay_ms: number; rules: object[] } {
  const fanRules = FAN_SIZES.map((n) => ({
    name: `fan ${n}`,
    when: { input: `^${fanPrompt(n)}$`, last: 'user_input' },
    respond: Array.from({ length: n }, (_, i) => ({
      type: 'function_call',
      name: fanToolName(i),
      arguments: { i },
    })),
  }));
  const wordRules = WORD_SIZES.map((n) => ({
    name: `words ${n}`,
    when: { input: `^${wordsPrompt(n)}$` },
    respond: [{ type: 'text', text: words(n) }],
  }));
  return {
    delay_ms: delayMs,
    rules: [
      {
        name: 'loop',
        when: { input: `^${LOOP_PROMPT}$`, tools: [LOOP_TOOL], last: ['user_input', 'function_result'] },
        respond: [{ type: 'function_call', name: LOOP_TOOL, arguments: { q: 'x' } }],
      },
      {
        name: 'hold',
        when: { input: `^${HOLD_PROMPT}$`, tools: [HOLD_TOOL], last: 'user_input' },
        respond: [{ type: 'function_call', name: HOLD_TOOL, arguments: {} }],
      },
      ...fanRules,
      { name: 'fan done', when: { input: '^bench fan', last: 'function_result' }, respond: 'done' },
      ...wordRules,
      {
        name: 'slow',
        when: { input: `^${SLOW_PROMPT}$` },
        respond: [{ type: 'text', text: words(SLOW_WORDS) }],
      },
      { name: 'chat', respond: CHAT_ANSWER },
    ],
  };
}
