// Images/s a batch stream delivers on its own, shared by the data and GPU benchmarks.
import type { BatchStream } from '@sketch-xnor/data';

/** Images/s over about `seconds`, after the first batch (worker start-up is not counted); closes the stream. */
export async function streamRate(stream: BatchStream, seconds: number): Promise<{ rate: number; workers: number; note?: string }> {
  let images = 0;
  let start = 0;
  try {
    for await (const batch of stream) {
      if (start === 0) {
        start = performance.now();
        continue;
      }
      images += batch.size;
      if (performance.now() - start > seconds * 1000) break;
    }
    return { rate: (images * 1000) / (performance.now() - start), workers: stream.workers, note: stream.workerNote };
  } finally {
    await stream.close();
  }
}
