// `sketch-xnor summary`: what a run or bundle is made of, per layer and in total (models' summary / formatSummary).
import { formatSummary, summary } from '@sketch-xnor/models';
import { selectBackend } from '../backend.js';
import { loadPredictor } from '../predictor.js';
import type { SummaryFlags } from '../program.js';

export async function runSummary(flags: SummaryFlags): Promise<void> {
  await selectBackend(flags.backend);
  const { model } = await loadPredictor(flags.run);
  const result = summary(model);
  process.stdout.write(flags.json ? `${JSON.stringify({ run: flags.run, ...result })}\n` : `${flags.run}\n${formatSummary(result)}\n`);
  model.dispose();
}
