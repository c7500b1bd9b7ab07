/** What the figures were measured on. */
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  freeGiB: number;
  node: string;
  platform: string;
  loadavg: number[];
}

export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
