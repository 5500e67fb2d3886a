// Exact resume: an interrupted run continued from its checkpoint must end with the very same bits as an
// uninterrupted one (cpu backend). Dropout is on, the rate decays and the stop falls mid-epoch.
import { beforeAll, describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checkpointFile, loadCheckpoint, train, type EpochEvent, type StepEvent, type TrainEvent, type TrainOptions } from '../src/index.js';
import { resumeScenario, tempDir, tinyModel, useCpu, weightsOf } from './helpers.js';

beforeAll(useCpu);

const TOTAL_STEPS = 13;
const run = (options: TrainOptions) => lastValueFrom(train(options).pipe(toArray()));

async function uninterrupted() {
  const model = tinyModel(1);
  const runDir = tempDir('full');
  const events = await run({ model, ...resumeScenario(TOTAL_STEPS, runDir) });
  return { model, events, checkpoint: await loadCheckpoint(checkpointFile(runDir)) };
}

function expectSameState(a: Awaited<ReturnType<typeof loadCheckpoint>>, b: Awaited<ReturnType<typeof loadCheckpoint>>) {
  expect(b.position.step).toBe(a.position.step);
  expect(b.position.epoch).toBe(a.position.epoch);
  expect(b.position.batch).toBe(a.position.batch);
  expect(b.optimizer).toEqual(a.optimizer);
  for (const [x, y] of [[a.weights, b.weights], [a.firstMoments, b.firstMoments], [a.secondMoments, b.secondMoments]] as const) {
    expect(y.map((t) => t.data)).toEqual(x.map((t) => t.data));
  }
}

describe('resume', () => {
  it('N/2 steps, then a fresh model resuming, ends bit-identical to N uninterrupted steps', async () => {
    const full = await uninterrupted();
    const runDir = tempDir('half');
    await run({ model: tinyModel(1), ...resumeScenario(6, runDir) });
    expect((await loadCheckpoint(checkpointFile(runDir))).position).toMatchObject({ step: 6, epoch: 1, batch: 1 });

    const resumed = tinyModel(42); // different initial weights: the checkpoint must overwrite all of them
    const events = await run({ model: resumed, ...resumeScenario(TOTAL_STEPS, runDir), resume: true });
    expect(events[0]).toMatchObject({ type: 'start', step: 6, epoch: 1, batch: 1, resumedFrom: checkpointFile(runDir) });
    expect(weightsOf(resumed)).toEqual(weightsOf(full.model));
    expectSameState(full.checkpoint, await loadCheckpoint(checkpointFile(runDir)));

    // The resumed steps report what the uninterrupted run reported: same losses, rates, epoch means.
    const pick = (list: TrainEvent[]) =>
      list
        .filter((e): e is StepEvent | EpochEvent => (e.type === 'step' && e.step > 6) || e.type === 'epoch')
        .map((e) => (e.type === 'step' ? [e.step, e.loss, e.lr, e.gradientNorm] : [e.epoch, e.loss, e.top1, e.samples]));
    expect(pick(events)).toEqual(pick(full.events).slice(-pick(events).length));
    expect(pick(events).length).toBeGreaterThan(7);
  });

  it('a killed process resumes from its last checkpoint to the same final weights', async () => {
    const full = await uninterrupted();
    const runDir = tempDir('killed');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/train-child.ts', import.meta.url)), runDir, String(TOTAL_STEPS)], {
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('./fixtures/tsconfig.json', import.meta.url)) },
      cwd: fileURLToPath(new URL('..', import.meta.url)), // where `--import tsx` resolves from
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === 'checkpoint 6') {
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited, `the child was killed mid-run (stderr: ${stderr})`).toBe('SIGKILL');
    const survived = await loadCheckpoint(checkpointFile(runDir));
    expect(survived.position.step).toBeGreaterThanOrEqual(6);
    expect(survived.position.step).toBeLessThan(TOTAL_STEPS);

    const resumed = tinyModel(42);
    await run({ model: resumed, ...resumeScenario(TOTAL_STEPS, runDir), resume: true });
    expect(weightsOf(resumed)).toEqual(weightsOf(full.model));
    expectSameState(full.checkpoint, await loadCheckpoint(checkpointFile(runDir)));
  });
});
