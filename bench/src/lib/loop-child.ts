/**
 * One tool-loop variant in a process of its own (forked by the tool-loop benchmark): the parent interleaves
 * rounds of the variants in time, but no variant's garbage is collected on another's clock — in one process
 * the @google/genai loop's allocations were collected during whichever loop happened to run next.
 * Each `round` returns the round's marks and this process's CPU time for it.
 */

import { type LoopVariant, loopFor } from '../scenarios/tool-loop.ts';
import { childConfig, serveCalls } from './child.ts';

const { url, variant, tag } = childConfig<{ url: string; variant: LoopVariant; tag: string }>();
const { loop, close } = loopFor(variant)(url, tag);

serveCalls(
  { pid: process.pid },
  {
    round: async () => {
      const cpu0 = process.cpuUsage();
      const result = await loop();
      const used = process.cpuUsage(cpu0);
      return { ...result, cpuMicros: used.user + used.system };
    },
    close,
  },
);
