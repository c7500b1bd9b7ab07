/** Usage summed across the provider calls of one turn, with the protocol's one `addUsage`. */
import { addUsage, type Usage } from '@interplay/protocol';

export { addUsage };

const EMPTY: Usage = { total_input_tokens: 0, total_output_tokens: 0, total_tokens: 0 };

export function emptyUsage(): Usage {
  return { ...EMPTY };
}
