import { describe, expect, it } from 'vitest';
import { lastValueFrom, take, toArray } from 'rxjs';
import { collectSketches, createBatchStream, openDataset, prepareTestViews, type Batch, type BatchStreamOptions, type Sketch } from '../src/index.js';
import { quickDrawDir } from './shared-data.js';

/** The first `perCategory` drawings of a few real Quick, Draw! categories. */
async function loadSketches(categories: string[], perCategory: number): Promise<Sketch[]> {
  const dataset = await openDataset({ kind: 'quickdraw', path: quickDrawDir, categories });
  return collectSketches(dataset.sketches(), { perCategory });
}

const categories = ['cat', 'The Eiffel Tower', 'bicycle'];
const sketches = await loadSketches(categories, 7); // 21 sketches: batches of 5 leave a last batch of 1
// The package's full augmented pipeline, on small rasters to keep the test fast.
const sample = { renderSize: 64, cropSize: 56 };
const base: BatchStreamOptions = { sketches, categories, sample, batchSize: 5, epochs: 2, seed: 7 };
// A light pipeline whose output shows the random draws plainly, for the tests of scheduling and errors.
const light: BatchStreamOptions = { ...base, pipeline: new URL('./stream-test-pipeline.ts', import.meta.url) };

async function collect(iterable: AsyncIterable<Batch>): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

/** The parts of a batch that must be reproducible. */
const contents = (batches: Batch[]) => batches.map(({ images, labels, indices, epoch, batchIndex, size }) => ({ images, labels, indices, epoch, batchIndex, size }));

describe('createBatchStream', () => {
  it('gives identical batches with 0 and 2 worker threads', async () => {
    const inProcess = createBatchStream({ ...base, workers: 0 });
    const pooled = createBatchStream({ ...base, workers: 2 });
    try {
      const [a, b] = [await collect(inProcess), await collect(pooled)];
      expect(pooled.workers, pooled.workerNote).toBe(2);
      expect(a.length).toBe(2 * 5);
      expect(contents(b)).toEqual(contents(a));
      // Shapes and labels.
      expect(a[0]).toMatchObject({ size: 5, height: 56, width: 56, channels: 1 });
      expect(a[0].images.length).toBe(5 * 56 * 56);
      expect(a[4].size).toBe(1);
      for (const batch of a) expect([...batch.labels]).toEqual([...batch.indices].map((i) => categories.indexOf(sketches[i].label)));
      // Every sketch once per epoch, in a new order each epoch, augmented anew.
      const epochIndices = [0, 1].map((epoch) => a.filter((batch) => batch.epoch === epoch).flatMap((batch) => [...batch.indices]));
      for (const indices of epochIndices) expect([...indices].sort((x, y) => x - y)).toEqual(sketches.map((_, i) => i));
      expect(epochIndices[0]).not.toEqual(epochIndices[1]);
      const imageOf = (epoch: number, index: number) => {
        const batch = a.find((candidate) => candidate.epoch === epoch && candidate.indices.includes(index))!;
        const at = batch.indices.indexOf(index);
        return batch.images.subarray(at * 56 * 56, (at + 1) * 56 * 56);
      };
      expect(imageOf(0, 3)).not.toEqual(imageOf(1, 3));
      expect(imageOf(0, 3).some((value) => value > 0.5)).toBe(true);
    } finally {
      await pooled.close();
    }
  });

  it('resumes at (epoch, batchIndex) with exactly the batches of the uninterrupted run', async () => {
    const whole = await collect(createBatchStream({ ...base, workers: 0 }));
    const resumed = await collect(createBatchStream({ ...base, workers: 0, start: { epoch: 0, batchIndex: 3 } }));
    expect(contents(resumed)).toEqual(contents(whole.slice(3)));
    const stream = createBatchStream({ ...base, workers: 0 });
    expect(contents(await collect(stream.batches(1, 2)))).toEqual(contents(whole.slice(5 + 2)));
    expect(stream.batchesPerEpoch).toBe(5);
    expect(() => stream.batches(1, 5)).toThrow(/batch index 5 is outside \[0, 5\)/);
  });

  it('holds at most `prefetch` batches for a slow consumer; starts new workers when iterated after close()', async () => {
    const stream = createBatchStream({ ...light, epochs: 3, workers: 1, prefetch: 2 });
    const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
    try {
      let consumed = 0;
      const seen: Batch[] = [];
      for await (const batch of stream) {
        seen.push(batch);
        consumed += 1;
        expect(batch.size).toBeGreaterThan(0);
        const { scheduled, delivered } = stream.stats();
        expect(delivered).toBe(consumed);
        expect(scheduled - delivered).toBeLessThanOrEqual(2);
        if (consumed === 2) await sleep(400); // a long pause: the producer must stop at the buffer's bound
        if (consumed === 2) expect(stream.stats().scheduled).toBe(4);
        if (consumed === 6) break;
      }
      expect(stream.stats()).toMatchObject({ delivered: 6, maxBuffered: 2 });
      expect(stream.stats().scheduled).toBeLessThanOrEqual(8);
      await stream.close();
      const again: Batch[] = [];
      for await (const batch of stream) if (again.push(batch) === 2) break;
      expect(contents(again)).toEqual(contents(seen.slice(0, 2)));
    } finally {
      await stream.close();
    }
  });

  it('makes 10-view test batches in the given order, view 0 the center crop', async () => {
    const stream = createBatchStream({ ...base, mode: 'test', epochs: 1, batchSize: 8, workers: 0 });
    const batches = await collect(stream);
    expect(batches.map((batch) => batch.size)).toEqual([8, 8, 5]);
    expect(batches.flatMap((batch) => [...batch.indices])).toEqual(sketches.map((_, i) => i));
    const [first] = batches;
    expect(first.views).toBe(10);
    expect(first.images.length).toBe(8 * 10 * 56 * 56);
    const views = prepareTestViews(sketches[1], sample);
    for (const view of [0, 9]) {
      const at = (1 * 10 + view) * 56 * 56;
      expect(first.images.subarray(at, at + 56 * 56)).toEqual(views[view]);
    }
  });

  it('is an Observable too', async () => {
    const stream = createBatchStream({ ...base, epochs: 1, workers: 0 });
    const all = await lastValueFrom(stream.observable().pipe(toArray()));
    expect(contents(all)).toEqual(contents(await collect(stream)));
    const firstTwo = await lastValueFrom(stream.observable().pipe(take(2), toArray()));
    expect(firstTwo.map((batch) => batch.batchIndex)).toEqual([0, 1]);
  });


  it('passes a failing sample up from a worker thread, naming the sketch', async () => {
    const broken = [...sketches.slice(0, 4), { label: 'cat', id: 'cat.ndjson:99', strokes: [] }];
    for (const workers of [0, 1]) {
      const stream = createBatchStream({ ...light, sketches: broken, shuffle: false, batchSize: 2, workers });
      try {
        const seen: number[] = [];
        await expect(
          (async () => {
            for await (const batch of stream) seen.push(batch.batchIndex);
          })(),
        ).rejects.toThrow(/sketch cat\.ndjson:99: nothing to draw/);
        expect(seen).toEqual([0, 1]);
      } finally {
        await stream.close();
      }
    }
    const missing = createBatchStream({ ...base, pipeline: new URL('../src/splits.ts', import.meta.url), workers: 0 });
    await expect(missing[Symbol.asyncIterator]().next()).rejects.toThrow(/splits\.ts does not export createRng, prepareTrainingSample, prepareTestViews/);
  });

  it('rejects labels outside the categories and bad positions, naming them', () => {
    expect(() => createBatchStream({ ...base, categories: ['cat'] })).toThrow(/label "The Eiffel Tower" is not among the 1 categories/);
    expect(() => createBatchStream({ ...base, start: { epoch: -1, batchIndex: 0 } })).toThrow(/epoch must be an integer >= 0/);
    expect(() => createBatchStream({ ...base, sketches: [] })).toThrow(/no batches: 0 sample/);
  });
});
