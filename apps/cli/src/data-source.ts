// The sketches of a run: opened from the recorded dataset config and split the same way every time (per
// category, in file order, or by numeric id for TU-Berlin), so eval sees exactly the test set train held out.
import { createHash } from 'node:crypto';
import { collectSketches, createBatchStream, listDatasets, openDataset, splitDataset, type BatchStream, type InputProblem, type Sketch } from '@sketch-xnor/data';
import type { RunConfig } from './config.js';
import { CliError } from './errors.js';

export interface RunData {
  /** Label order: label i is categories[i]. */
  categories: string[];
  train: Sketch[];
  test: Sketch[];
  problems: InputProblem[];
  /** Things a user should know about the data that are not errors (a category short of its split). */
  notes: string[];
}

/** Checks the dataset kind against the registry, listing the known ones. */
export function checkDatasetKind(kind: string): void {
  const known = listDatasets();
  if (!known.includes(kind)) throw new CliError(`unknown dataset "${kind}"; known datasets: ${known.join(', ')}`);
}

export async function loadRunData(dataset: RunConfig['dataset']): Promise<RunData> {
  checkDatasetKind(dataset.kind);
  const opened = await openDataset({
    kind: dataset.kind,
    ...(dataset.path !== undefined && { path: dataset.path }),
    ...(dataset.categories.length > 0 && { categories: dataset.categories }),
    ...(dataset.perCategory !== undefined && { perCategory: dataset.perCategory }),
  });
  const sketches = await collectSketches(opened.sketches());
  const categories = dataset.categories.length > 0 ? dataset.categories : opened.categories;
  const present = new Set(sketches.map((s) => s.label));
  const missing = categories.filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new CliError(`no sketches for ${missing.length === 1 ? 'category' : 'categories'} ${missing.map((c) => `"${c}"`).join(', ')} in ${dataset.path ?? dataset.kind}`);
  }
  const order = dataset.kind.startsWith('tu-berlin') ? 'numeric-id' : 'given';
  // 'rest' is dealt first, so a fraction takes the test part from the end of each category: train = the first (1 - f).
  const { parts, shortfalls } = splitDataset(sketches, { parts: dataset.split ?? { train: 'rest', test: dataset.testFraction }, order });
  // A category that runs short (a Quick, Draw! file of 399 drawings for train:300,test:100) is reported, not fatal.
  const notes = [
    ...perCategoryShortfalls(sketches, categories, dataset.perCategory, dataset.path ?? dataset.kind),
    ...shortfalls.map(({ category, part, wanted, got }) => `split: category "${category}" has too few sketches: part "${part}" got ${got} of ${wanted}`),
  ];
  return { categories, train: parts['train']!, test: parts['test']!, problems: opened.problems, notes };
}

/** Notes for the categories that hold fewer sketches than `--per-category` asked for (all of theirs are used). */
function perCategoryShortfalls(sketches: readonly Sketch[], categories: readonly string[], perCategory: number | undefined, where: string): string[] {
  if (perCategory === undefined) return [];
  const counts = new Map<string, number>();
  for (const sketch of sketches) counts.set(sketch.label, (counts.get(sketch.label) ?? 0) + 1);
  const short = categories.filter((c) => (counts.get(c) ?? 0) < perCategory);
  if (short.length === 0) return [];
  const listed = short.slice(0, 5).map((c) => `"${c}" has ${counts.get(c) ?? 0}`).join(', ');
  return [`--per-category ${perCategory}: ${short.length} of ${categories.length} categories in ${where} hold fewer sketches (${listed}${short.length > 5 ? ', ...' : ''}); all of theirs are used`];
}

/**
 * A fingerprint of which sketches a split holds: SHA-256 over the sorted `label, id` pairs (ids are the file path,
 * the Quick, Draw! key_id or `file:line`). Recorded at train time; a different one later means the data files changed
 * and the split now holds other sketches (possibly ones the model trained on).
 */
export function splitFingerprint(sketches: readonly Pick<Sketch, 'label' | 'id'>[]): string {
  const keys = sketches.map((s) => JSON.stringify([s.label, s.id])).sort();
  return `sha256:${createHash('sha256').update(keys.join('\n')).digest('hex')}`;
}

export function splitFingerprints(data: Pick<RunData, 'train' | 'test'>): { train: string; test: string } {
  return { train: splitFingerprint(data.train), test: splitFingerprint(data.test) };
}

/**
 * A warning when the named splits of `data` hold other sketches than when the run was trained (runs recorded
 * before fingerprints existed: none).
 */
export function splitChangeWarning(runDir: string, dataset: RunConfig['dataset'], data: Pick<RunData, 'train' | 'test'>, parts: readonly ('train' | 'test')[]): string | undefined {
  const recorded = dataset.fingerprints;
  if (recorded === undefined) return undefined;
  const now = splitFingerprints(data);
  const changed = parts.filter((part) => recorded[part] !== undefined && recorded[part] !== now[part]);
  if (changed.length === 0) return undefined;
  return (
    `warning: the ${changed.join(' and ')} split${changed.length > 1 ? 's' : ''} of ${dataset.path ?? dataset.kind} no longer hold${changed.length > 1 ? '' : 's'} the sketches ${runDir} was trained with ` +
    `(fingerprint differs from ${runDir}/config.json): the data files were edited or replaced, so the test split may now hold training sketches and the results are not held-out numbers`
  );
}

export interface StreamSettings {
  sample: RunConfig['sample'];
  batchSize: number;
  seed: number;
  workers: number;
  epochs: number;
}

export function trainStream(data: RunData, settings: StreamSettings): BatchStream {
  return createBatchStream({
    sketches: data.train,
    categories: data.categories,
    sample: sampleOptions(settings.sample),
    batchSize: settings.batchSize,
    mode: 'train',
    epochs: settings.epochs,
    seed: settings.seed,
    workers: settings.workers,
  });
}

export function testStream(sketches: Sketch[], categories: string[], settings: Omit<StreamSettings, 'epochs'>): BatchStream {
  return createBatchStream({
    sketches,
    categories,
    sample: sampleOptions({ ...settings.sample, augment: false }),
    batchSize: settings.batchSize,
    mode: 'test',
    seed: settings.seed,
    workers: settings.workers,
  });
}

function sampleOptions(sample: RunConfig['sample']) {
  return {
    renderSize: sample.renderSize,
    cropSize: sample.cropSize,
    channels: sample.channels,
    ...(sample.augment ? {} : { augment: false as const }),
  };
}

/** The center view of each sample of a multi-view test batch (view 0), as a one-view batch. */
export function centerViewBatch<B extends { images: Float32Array; size: number; height: number; width: number; channels: number; views?: number }>(batch: B): B {
  const views = batch.views ?? 1;
  if (views === 1) return batch;
  const pixels = batch.height * batch.width * batch.channels;
  const images = new Float32Array(batch.size * pixels);
  for (let i = 0; i < batch.size; i++) images.set(batch.images.subarray(i * views * pixels, (i * views + 1) * pixels), i * pixels);
  return { ...batch, images, views: 1 };
}

/** Center-view batches of a test stream: the cheap evaluation for epochs before the last. */
export async function* centerViewBatches<B extends Parameters<typeof centerViewBatch>[0]>(batches: AsyncIterable<B>): AsyncGenerator<B> {
  for await (const batch of batches) yield centerViewBatch(batch);
}
