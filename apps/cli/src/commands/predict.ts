// `sketch-xnor predict`: top-k labels with scores for each sketch in the given files, through the same test-time
// pipeline as eval (rasterize at the run's size, center crop or the mean of the 10 views' softmax scores).
import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { openDataset, prepareTestViews, type Sketch } from '@sketch-xnor/data';
import { selectBackend } from '../backend.js';
import { CliError } from '../errors.js';
import { ENSEMBLE_RULE, loadEnsemble } from '../ensemble.js';
import type { PredictFlags } from '../program.js';
import { reportProblems } from '../problems.js';

const KIND_BY_EXTENSION: Record<string, string> = {
  '.ndjson': 'quickdraw',
  '.bin': 'quickdraw',
  '.svg': 'tu-berlin-svg',
  '.png': 'tu-berlin-png',
};

/** Sketches per forward pass (each brings 10 views). */
const CHUNK = 16;

export interface Prediction {
  file: string;
  id: string;
  top: { label: string; score: number }[];
}

/** Indices of the k largest scores, best first (ties: lower index first). */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

async function readSketchFile(file: string): Promise<{ sketches: Sketch[]; problems: Awaited<ReturnType<typeof openDataset>>['problems'] }> {
  if (!existsSync(file)) throw new CliError(`${file}: no such file`);
  if (!statSync(file).isFile()) throw new CliError(`${file}: not a file (predict reads .ndjson, .svg and .png files)`);
  const kind = KIND_BY_EXTENSION[extname(file).toLowerCase()];
  if (kind === undefined) throw new CliError(`${file}: unknown sketch format "${extname(file)}"; predict reads ${Object.keys(KIND_BY_EXTENSION).join(', ')}`);
  const dataset = await openDataset({ kind, path: file });
  const sketches: Sketch[] = [];
  for await (const sketch of dataset.sketches()) sketches.push(sketch);
  return { sketches, problems: dataset.problems };
}

export async function runPredict(files: string[], flags: PredictFlags): Promise<void> {
  await selectBackend(flags.backend);
  // run folders or packed bundles; several are one ensemble
  const { model, categories, sample } = await loadEnsemble(flags.run);
  const k = Math.min(flags.top, categories.length);
  const { cropSize: size, channels } = sample;
  let total = 0;
  for (const file of files) {
    const { sketches, problems } = await readSketchFile(file);
    reportProblems(problems, (line) => process.stderr.write(`${line}\n`));
    if (sketches.length === 0) throw new CliError(`${file}: no readable sketch in it`);
    for (let start = 0; start < sketches.length; start += CHUNK) {
      const chunk = sketches.slice(start, start + CHUNK);
      const views = chunk.map((sketch) => {
        const all = prepareTestViews(sketch, sample);
        return flags.views === 'center' ? all.slice(0, 1) : all;
      });
      const perSketch = views[0]!.length;
      const scores = tf.tidy(() => {
        const flat = new Float32Array(chunk.length * perSketch * size * size * channels);
        views.flat().forEach((view, i) => flat.set(view, i * view.length));
        const input = tf.tensor4d(flat, [chunk.length * perSketch, size, size, channels]);
        const logits = tf.reshape(model.predict(input) as tf.Tensor, [chunk.length, perSketch, categories.length]);
        return tf.mean(tf.softmax(logits), 1).arraySync() as number[][];
      });
      chunk.forEach((sketch, i) => {
        const prediction: Prediction = {
          file,
          id: sketch.id,
          top: topK(scores[i]!, k).map((c) => ({ label: categories[c]!, score: scores[i]![c]! })),
        };
        process.stdout.write(flags.json ? `${JSON.stringify(prediction)}\n` : formatPrediction(prediction));
      });
      total += chunk.length;
    }
  }
  if (!flags.json) process.stderr.write(`${total} sketch${total === 1 ? '' : 'es'} classified with ${flags.run.join(' + ')} (${flags.views === 'center' ? 'center view' : '10 views'}${flags.run.length > 1 ? `; ensemble: ${ENSEMBLE_RULE}` : ''})\n`);
}

export function formatPrediction(p: Prediction): string {
  const scores = p.top.map((t) => `${t.label} ${(100 * t.score).toFixed(1)}%`).join(', ');
  // Single-sketch files (svg, png) have their file name as id; ndjson lines have Quick, Draw!'s key_id.
  return `${basename(p.file) === p.id ? p.file : `${p.file} ${p.id}`}: ${scores}\n`;
}
