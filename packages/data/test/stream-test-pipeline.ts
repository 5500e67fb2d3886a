// A small sample pipeline for the stream tests: plots the stroke points, shifted and flipped by the RNG, so a
// batch shows which sketch and which random draws went into each sample. Loaded by worker threads via its URL.
import type { Sketch } from '../src/types.js';
import { deriveSeed } from '../src/stream/plan.js';

interface Options {
  cropSize?: number;
}

interface Rng {
  next(): number;
}

export function createRng(seed: number): Rng {
  let draws = 0;
  return { next: () => deriveSeed(seed, draws++) / 2 ** 32 };
}

function plot(sketch: Sketch, size: number, shift: number, flip: boolean): Float32Array {
  if (sketch.strokes.length === 0) throw new Error(`sketch ${sketch.id}: nothing to draw`);
  const image = new Float32Array(size * size);
  for (const stroke of sketch.strokes) {
    stroke.x.forEach((x, i) => {
      const column = Math.min(size - 1, Math.max(0, Math.floor((x / 256) * size) + shift));
      const row = Math.min(size - 1, Math.max(0, Math.floor((stroke.y[i] / 256) * size)));
      image[row * size + (flip ? size - 1 - column : column)] = 1;
    });
  }
  return image;
}

export function prepareTrainingSample(sketch: Sketch, options: Options, rng: Rng): Float32Array {
  const image = plot(sketch, options.cropSize ?? 225, Math.floor(rng.next() * 9) - 4, rng.next() < 0.5);
  image[0] = rng.next(); // the third draw, visible as is
  return image;
}

export function prepareTestViews(sketch: Sketch, options: Options): Float32Array[] {
  return Array.from({ length: 10 }, (_, view) => plot(sketch, options.cropSize ?? 225, (view % 5) - 2, view >= 5));
}
