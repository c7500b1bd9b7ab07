/**
 * The load generator's process (forked by load.ts's `startLoad`): the servers are children too, so load and
 * server run in separate processes and the bench's own process only orchestrates. Ops: `blast` (fixed body,
 * autocannon), `chains` (advance the conversations of one named set by a turn), `fanout` (read many SSE
 * streams at once).
 */
import { type BlastOptions, blast } from './blast.ts';
import { ChainDriver, type ChainSlice } from './chain-driver.ts';
import { childConfig, serveCalls } from './child.ts';
import { type FanoutOptions, fanout } from './fanout-reader.ts';

childConfig<Record<string, never>>();
const chainSets = new Map<string, ChainDriver>();

serveCalls(
  { pid: process.pid },
  {
    blast: (o: BlastOptions) => blast(o),
    /** One turn on every chain of the set `name` (created with `count` chains on first use), or a slice. */
    chains: ({
      name,
      count,
      url,
      concurrency,
      tag,
      slice,
    }: {
      name: string;
      count: number;
      url: string;
      concurrency: number;
      tag: string;
      slice?: ChainSlice;
    }) => {
      let driver = chainSets.get(name);
      if (!driver) {
        driver = new ChainDriver(count);
        chainSets.set(name, driver);
      }
      return driver.advance(url, concurrency, tag, slice);
    },
    /** The last interaction id of each chain of a set. */
    chainHeads: ({ name }: { name: string }) => chainSets.get(name)?.heads ?? [],
    fanout: (o: FanoutOptions) => fanout(o),
    close: () => {},
  },
);
