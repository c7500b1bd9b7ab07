/** The load generator in a process of its own (load-child.ts), with typed calls. */
import type { BlastOptions, BlastResult } from './blast.ts';
import type { ChainSlice, RoundResult } from './chain-driver.ts';
import { spawnChild } from './child.ts';
import type { FanoutOptions, FanoutResult } from './fanout-reader.ts';

export interface LoadProcess {
  pid: number;
  blast(options: BlastOptions): Promise<BlastResult>;
  /** Advance every chain of the set `name` (made of `count` chains on first use), or a slice of them, by a turn. */
  chains(options: {
    name: string;
    count: number;
    url: string;
    concurrency: number;
    tag: string;
    slice?: ChainSlice;
  }): Promise<RoundResult>;
  chainHeads(name: string): Promise<(string | undefined)[]>;
  fanout(options: FanoutOptions): Promise<FanoutResult>;
  close(): Promise<void>;
}

export async function startLoad(): Promise<LoadProcess> {
  const child = await spawnChild<{ pid: number }>(new URL('./load-child.ts', import.meta.url), {});
  return {
    pid: child.pid,
    blast: (o) => child.call('blast', o),
    chains: (o) => child.call('chains', o),
    chainHeads: (name) => child.call('chainHeads', { name }),
    fanout: (o) => child.call('fanout', o),
    close: () => child.close(),
  };
}
