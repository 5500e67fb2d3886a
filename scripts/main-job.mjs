// The main job, after the build: what the project is for, on the embedded synthetic sketches. Trains a float
// Sketch-A-Net, trains an XNOR net from it (the study's recipe: binary nets start from the float weights), packs the
// XNOR net into a 1-bit bundle, evaluates all three on the same held-out sketches, writes a viz report comparing
// float and XNOR activations, and ends with one table: accuracy, file size and one-image latency, with the ratios.
// Every step is the CLI a user would run (printed before it runs); seeded, so a rerun gives the same accuracies.
//   node scripts/main-job.mjs [--out <folder>] [--epochs <float>,<xnor>] [--per-category <n>]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'apps/cli/dist/main.js');

const { values: flags } = parseArgs({
  options: {
    out: { type: 'string' },
    epochs: { type: 'string', default: '10,10' },
    'per-category': { type: 'string' },
    'latency-repeats': { type: 'string', default: '50' },
  },
});
const [floatEpochs, xnorEpochs] = flags.epochs.split(',');
const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
const runsDir = join(root, 'apps/cli/runs');
const out = resolve(flags.out ?? join(runsDir, `main-${stamp}`));
const paths = { float: join(out, 'float'), xnor: join(out, 'xnor'), bundle: join(out, 'xnor-bundle'), report: join(out, 'report') };
const data = flags['per-category'] ? ['--per-category', flags['per-category']] : [];

/** Runs the CLI with its progress on this terminal; returns stdout. */
function sketchXnor(args, { capture = false } = {}) {
  process.stderr.write(`\n$ sketch-xnor ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`main job: sketch-xnor ${args[0]} failed (exit ${result.status ?? result.signal}); what it wrote so far is in ${out}\n`);
    process.exit(result.status || 1);
  }
  return result.stdout ?? '';
}

/** Bytes of the model files a deployment ships: model.json and weights (a bundle: all its files). */
function modelBytes(dir, files = ['model.json', 'weights.bin']) {
  const present = readdirSync(dir);
  return files.filter((f) => present.includes(f)).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** A held-out-style synthetic sketch as a one-line Quick, Draw! ndjson, for the activation maps. */
async function writeSampleSketch(file) {
  const { generateSyntheticSketch } = await import('@sketch-xnor/data');
  const sketch = generateSyntheticSketch('house', 999, 12345);
  const drawing = sketch.strokes.map((s) => [Array.from(s.x, Math.round), Array.from(s.y, Math.round)]);
  writeFileSync(file, `${JSON.stringify({ word: sketch.label, key_id: sketch.id, drawing })}\n`);
}

mkdirSync(out, { recursive: true });
const repeats = ['--latency', flags['latency-repeats']];
sketchXnor(['train', '--out', paths.float, '--epochs', floatEpochs, ...data]);
sketchXnor(['train', '--model', 'sketch-a-net-xnor', '--init', paths.float, '--out', paths.xnor, '--epochs', xnorEpochs, ...data]);
sketchXnor(['export', '--run', paths.xnor, '--out', paths.bundle]);
const floatEval = JSON.parse(sketchXnor(['eval', '--run', paths.float, ...repeats, '--json'], { capture: true }));
const xnorEval = JSON.parse(sketchXnor(['eval', '--run', paths.xnor, '--bundle', paths.bundle, ...repeats, '--json'], { capture: true }));
const sketchFile = join(out, 'house.ndjson');
await writeSampleSketch(sketchFile);
sketchXnor(['viz', '--run', paths.float, '--compare', paths.xnor, '--sketch', sketchFile, '--out', paths.report, '--steps', '20', '--no-eval']);

// runs/main-latest points at the newest main job's folder
const latest = join(runsDir, 'main-latest');
if (out.startsWith(runsDir)) {
  rmSync(latest, { force: true });
  symlinkSync(relative(runsDir, out), latest);
}

const rows = [
  { model: 'float Sketch-A-Net', metrics: floatEval, bytes: modelBytes(paths.float) },
  { model: 'XNOR net (training form, float kernels)', metrics: xnorEval, bytes: modelBytes(paths.xnor) },
  { model: 'XNOR net, packed 1-bit bundle', metrics: xnorEval.bundle, bytes: modelBytes(paths.bundle, readdirSync(paths.bundle)) },
];
const percent = (v) => `${(100 * v).toFixed(1)}%`;
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const table = [
  '| model | top-1 center | top-1 10 views | size | latency (batch 1, one thread) |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.model} | ${percent(r.metrics.top1)} | ${percent(r.metrics.top1TenView)} | ${kib(r.bytes)} | ${r.metrics.latencyMs.toFixed(2)} ms |`),
];
const [float, , packed] = rows;
const smaller = float.bytes / packed.bytes;
const faster = float.metrics.latencyMs / packed.metrics.latencyMs;
const verdict =
  faster >= 1
    ? `packed vs float: ${smaller.toFixed(1)}x smaller, ${faster.toFixed(1)}x faster`
    : `packed vs float: ${smaller.toFixed(1)}x smaller, but ${(1 / faster).toFixed(1)}x SLOWER at this size on this machine`;
const summary = [
  '',
  `main job: ${floatEval.samples} held-out synthetic sketches, ${floatEval.backend} backend`,
  ...table,
  verdict,
  '',
  `runs:   ${paths.float}`,
  `        ${paths.xnor}`,
  `bundle: ${paths.bundle}`,
  `report: ${join(paths.report, 'report.html')} (float vs XNOR activations)`,
];
writeFileSync(join(out, 'summary.md'), `${summary.join('\n')}\n`);
writeFileSync(join(out, 'summary.json'), `${JSON.stringify({ rows: rows.map((r) => ({ model: r.model, bytes: r.bytes, ...r.metrics })), smaller, faster, paths }, null, 2)}\n`);
process.stdout.write(`${summary.join('\n')}\n`);
