/** Every benchmark, in the order `pnpm bench` runs them. */
import { chains } from './chains.ts';
import { conversations } from './conversations.ts';
import { gateway } from './gateway.ts';
import { hostileInputs } from './hostile.ts';
import { instructions } from './instructions.ts';
import { memory } from './memory.ts';
import { parallelTools } from './parallel-tools.ts';
import { replicas } from './replicas.ts';
import { serverCreate } from './server-create.ts';
import { streamFanout } from './stream-fanout.ts';
import { streaming } from './streaming.ts';
import { toolLoop } from './tool-loop.ts';
import type { Scenario } from './types.ts';

export const SCENARIOS: readonly Scenario[] = [
  toolLoop,
  parallelTools,
  serverCreate,
  streaming,
  streamFanout,
  chains,
  conversations,
  memory,
  gateway,
  instructions,
  hostileInputs,
  replicas,
];
