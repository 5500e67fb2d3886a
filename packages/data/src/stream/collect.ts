// Loads a split's sketches into memory (what the batch stream holds and sends to its workers).
import type { Sketch } from '../types.js';

export interface CollectOptions {
  /** Keep at most this many sketches per category, the first ones in reading order. */
  perCategory?: number;
}

export async function collectSketches(source: AsyncIterable<Sketch> | Iterable<Sketch>, options: CollectOptions = {}): Promise<Sketch[]> {
  const { perCategory = Infinity } = options;
  if (!(perCategory >= 0)) throw new Error(`perCategory must be >= 0, got ${perCategory}`);
  const kept = new Map<string, number>();
  const sketches: Sketch[] = [];
  for await (const sketch of source) {
    const count = kept.get(sketch.label) ?? 0;
    if (count >= perCategory) continue;
    kept.set(sketch.label, count + 1);
    sketches.push(sketch);
  }
  return sketches;
}
