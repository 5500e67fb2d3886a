// How many batch workers a command really starts: never more than the machine's cores. Each worker holds its own
// copy of the split's sketches and a rasterizer, so thousands of them exhaust memory long before they speed anything.
import { availableParallelism } from 'node:os';

/** `requested`, or the machine's core count (os.availableParallelism()) when more were asked for, saying so. */
export function workerCount(requested: number, log: (line: string) => void, cores = availableParallelism()): number {
  if (requested <= cores) return requested;
  log(`--workers ${requested} is more than the ${cores} cores this machine has; using ${cores} workers`);
  return cores;
}
