// Ships trained runs as the playground's default models: the float run's files go to public/models/default/float,
// the XNOR run is packed by `sketch-xnor export` into public/models/default/binary, and PROVENANCE.md records the
// commands (from each run's config.json), the data and the held-out accuracy (from each run's metrics.jsonl).
// Run: npx tsx apps/playground/scripts/ship-default-model.ts <float run> <xnor run>
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [floatRun, xnorRun] = process.argv.slice(2).map((p) => resolve(p));
if (!floatRun || !xnorRun) throw new Error('usage: ship-default-model.ts <float run folder> <xnor run folder>');
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const target = fileURLToPath(new URL('../public/models/default/', import.meta.url));
const cli = join(repo, 'apps/cli/dist/main.js');

interface Eval {
  epoch: number;
  top1: number;
  top5: number;
  top1TenView?: number;
  top5TenView?: number;
  samples?: number;
}

function lastEval(run: string): Eval {
  const evals = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Eval & { type: string; split?: string })
    .filter((e) => e.type === 'eval' && (e.split ?? 'test') === 'test');
  if (!evals.length) throw new Error(`${run}/metrics.jsonl has no test evaluation`);
  return evals[evals.length - 1]!;
}

const config = (run: string) => JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
const percent = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const size = (dir: string, files: string[]) => files.reduce((total, f) => total + statSync(join(dir, f)).size, 0);

rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, 'float'), { recursive: true });
const floatFiles = ['run.json', 'config.json', 'model.json', 'weights.bin'];
for (const file of floatFiles) copyFileSync(join(floatRun, file), join(target, 'float', file));
const exported = execFileSync('node', [cli, 'export', '--run', xnorRun, '--out', join(target, 'binary')], { cwd: repo, encoding: 'utf8' });

const runs = [
  { role: 'float', run: floatRun, config: config(floatRun), eval: lastEval(floatRun) },
  { role: 'binary (XNOR, packed)', run: xnorRun, config: config(xnorRun), eval: lastEval(xnorRun) },
];
const first = runs[0]!.config;
const lines = [
  '# Default models: provenance',
  '',
  `Data: Quick, Draw! simplified drawings (\`${relative(repo, first.dataset.path)}\`, ${first.dataset.categories.length} categories: ${first.dataset.categories.join(', ')}),`,
  `${first.dataset.perCategory ?? 'all'} sketches per category, ${percent(first.dataset.testFraction)} of each category held out for testing (seed ${first.training.seed}).`,
  `Input: ${first.sample.cropSize} px crops of ${first.sample.renderSize} px renderings, ${first.sample.channels} channel(s).`,
  '',
  '| model | held-out top-1 | top-5 | 10-view top-1 | 10-view top-5 | epochs |',
  '| --- | --- | --- | --- | --- | --- |',
  ...runs.map((r) => `| ${r.role}: ${r.config.model.name}, width ${r.config.model.options.width} | ${percent(r.eval.top1)} | ${percent(r.eval.top5)} | ${percent(r.eval.top1TenView)} | ${percent(r.eval.top5TenView)} | ${r.config.training.epochs} |`),
  '',
  'Commands (from the repository root; each run folder\'s config.json records its command line):',
  '',
  '```sh',
  ...runs.map((r) => `sketch-xnor ${r.config.command.map((a: string) => (/[\s,]/.test(a) && !a.includes('=') ? `'${a}'` : a)).join(' ')}`),
  `sketch-xnor export --run ${xnorRun} --out apps/playground/public/models/default/binary`,
  `cp ${floatRun}/{${floatFiles.join(',')}} apps/playground/public/models/default/float/`,
  '```',
  '',
  `Sizes: float run ${(size(join(target, 'float'), floatFiles) / 1024).toFixed(1)} KiB; packed bundle:`,
  '',
  '```',
  exported.trim(),
  '```',
  '',
];
writeFileSync(join(target, 'PROVENANCE.md'), lines.join('\n'));
process.stdout.write(lines.join('\n'));
