#!/usr/bin/env node
// Prints the docs/RESULTS.md table of one results folder (runs/tu40, runs/qd20) from what the runs left behind:
// <row>.eval.json (sketch-xnor eval --bundle --latency --json), each run's config.json and metrics.jsonl, the sizes
// of the float model files and of the packed bundle, and the command of each row from commands.txt.
// Usage: node scripts/results/table.mjs runs/tu40 [row ...]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const [dir, ...wanted] = process.argv.slice(2);
if (!dir || !existsSync(dir)) {
  console.error('usage: node scripts/results/table.mjs <results folder> [row ...]');
  process.exit(2);
}
const rows = wanted.length > 0 ? wanted : readdirSync(dir).filter((f) => f.endsWith('.eval.json')).map((f) => f.replace(/\.eval\.json$/, ''));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const pct = (v) => (typeof v === 'number' ? (100 * v).toFixed(1) : '-');
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const filesBytes = (folder, names) => names.reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);

/** model.json and the weight files it lists: what a user downloads for the float model. */
function floatModelBytes(runDir) {
  const manifest = readJson(join(runDir, 'model.json'));
  const shards = (manifest.weightsManifest ?? []).flatMap((group) => group.paths);
  return filesBytes(runDir, ['model.json', ...shards]);
}

/** Epochs a run trained, from its metrics.jsonl (a run continued with --resume --epochs trained more than it began with). */
function trainedEpochs(runDir) {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
  return new Set(lines.map((line) => JSON.parse(line)).filter((e) => e.type === 'epoch').map((e) => e.epoch)).size;
}

/** Epochs of this run plus those of the runs it was initialized from. */
function totalEpochs(runDir, seen = new Set()) {
  const { init } = readJson(join(runDir, 'config.json'));
  const own = trainedEpochs(runDir);
  if (!init || seen.has(init) || !existsSync(join(init, 'config.json'))) return own;
  seen.add(init);
  return own + totalEpochs(init, seen);
}

const commands = existsSync(join(dir, 'commands.txt')) ? readFileSync(join(dir, 'commands.txt'), 'utf8').split('\n') : [];
/** The commands that wrote or read the row's own folder (--out or --run), not those that merely start from it. */
const commandsOf = (row) => {
  const own = new RegExp(`--(out|run) \\S*/${row.replace(/[.]/g, '\\.')}(\\s|$)`);
  return commands.filter((line) => own.test(line)).map((line) => line.replace(/^\+ /, ''));
};

console.log('| run | epochs (total) | center top-1 / top-5 | 10-view top-1 / top-5 | float model | packed bundle | latency float / 1-bit (ms) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const notes = [];
for (const row of rows) {
  const runDir = join(dir, row);
  const evaluation = readJson(join(dir, `${row}.eval.json`));
  const config = readJson(join(runDir, 'config.json'));
  const init = config.init ? ` from ${basename(config.init)}` : '';
  const floatBytes = floatModelBytes(runDir);
  const bundle = evaluation.bundle;
  const bundleBytes = bundle ? filesBytes(bundle.path, readdirSync(bundle.path)) : undefined;
  const packed = bundleBytes ? `${kib(bundleBytes)} (${(floatBytes / bundleBytes).toFixed(1)}x)` : '-';
  // latency.sh re-times every row one after another on a quiet machine; its figures replace the ones taken during training
  const timed = existsSync(join(dir, `${row}.latency.json`)) ? readJson(join(dir, `${row}.latency.json`)) : evaluation;
  const latency = `${timed.latencyMs?.toFixed(2) ?? '-'} / ${timed.bundle?.latencyMs?.toFixed(2) ?? '-'}`;
  console.log(
    `| ${row} (${config.model.name}${config.model.options.batchNorm ? ' + BatchNorm' : ''}${init}) | ${trainedEpochs(runDir)}${init ? ` (${totalEpochs(runDir)})` : ''} | ${pct(evaluation.top1)} / ${pct(evaluation.top5)} | ` +
      `${pct(evaluation.top1TenView)} / ${pct(evaluation.top5TenView)} | ${kib(floatBytes)} | ${packed} | ${latency} |`,
  );
  if (bundle) notes.push(`${row} bundle: 10-view top-1 / top-5 ${pct(bundle.top1TenView)} / ${pct(bundle.top5TenView)}, center ${pct(bundle.top1)} / ${pct(bundle.top5)}`);
}
console.log('');
for (const note of notes) console.log(`- ${note}`);
console.log('');
// The protocol's shared flags (what every train command has between `train` and `--model`) are printed once.
const rowCommands = rows.flatMap((row) => commandsOf(row));
const shared = rowCommands.map((c) => /^sketch-xnor train (.*?) --model /.exec(c)?.[1]).find(Boolean);
console.log('```sh');
if (shared) console.log(`COMMON=(${shared})`);
for (const command of rowCommands) console.log(shared ? command.replace(shared, '"${COMMON[@]}"') : command);
console.log('```');
