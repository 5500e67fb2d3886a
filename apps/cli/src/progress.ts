// Training progress on the terminal: a bar (loss, accuracy, images/s, time left) on a TTY, and one line per
// epoch and evaluation everywhere (so logs and pipes get a readable record too).
import cliProgress from 'cli-progress';
import type { EvalEvent, TrainEvent } from '@sketch-xnor/trainer';

export function formatPercent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line for an evaluation: `test top-1 85.0% top-5 99.0% | 10-view top-1 86.0% top-5 99.5% (200 sketches)`. */
export function formatEval(event: Pick<EvalEvent, 'top1' | 'top5' | 'top1TenView' | 'top5TenView' | 'samples'>): string {
  let line = `test top-1 ${formatPercent(event.top1)} top-5 ${formatPercent(event.top5)}`;
  if (event.top1TenView !== undefined) line += ` | 10-view top-1 ${formatPercent(event.top1TenView)} top-5 ${formatPercent(event.top5TenView ?? NaN)}`;
  return `${line} (${event.samples} sketches)`;
}

export interface ProgressOptions {
  /** Draw a live bar (only on a TTY). */
  bar: boolean;
  /** Where lines go (stderr for a bar; lines are also fine on stdout). */
  stream: NodeJS.WriteStream;
}

/** Subscribes to training events and draws them; call `stop()` when the run ends (also on errors). */
export class TrainingProgress {
  private bar: cliProgress.SingleBar | undefined;
  private multi: cliProgress.MultiBar | undefined;
  private epochs = 0;
  private batchesPerEpoch: number | undefined;
  private lossSum = 0;
  private correct = 0;
  private samples = 0;
  private steps = 0;
  private imagesPerSecond = 0;
  private lastEpochLine = '';

  constructor(private readonly options: ProgressOptions) {}

  private line(text: string): void {
    if (this.multi) this.multi.log(`${text}\n`);
    else this.options.stream.write(`${text}\n`);
  }

  handle(event: TrainEvent): void {
    switch (event.type) {
      case 'start': {
        this.epochs = event.epochs;
        this.batchesPerEpoch = event.batchesPerEpoch;
        if (event.resumedFrom) this.line(`resuming from ${event.resumedFrom} at step ${event.step} (epoch ${event.epoch + 1}, batch ${event.batch})`);
        const total = this.batchesPerEpoch === undefined ? undefined : this.epochs * this.batchesPerEpoch;
        if (this.options.bar && this.options.stream.isTTY && total !== undefined) {
          this.multi = new cliProgress.MultiBar(
            {
              stream: this.options.stream,
              format: 'epoch {epochOf} {bar} {percentage}% | loss {loss} | acc {accuracy} | {ips} img/s | left {left}',
              barsize: 24,
              hideCursor: true,
              clearOnComplete: false,
              etaBuffer: 50,
            },
            cliProgress.Presets.shades_classic,
          );
          const start = Math.min(total, event.step);
          this.bar = this.multi.create(total, start, this.payload(event.epoch, start));
        }
        return;
      }
      case 'step': {
        this.lossSum += event.loss * event.batchSize;
        this.correct += event.top1 * event.batchSize;
        this.samples += event.batchSize;
        // Smooth images/s: single steps vary with GC and the shared CPU.
        this.imagesPerSecond = this.imagesPerSecond === 0 ? event.imagesPerSecond : 0.9 * this.imagesPerSecond + 0.1 * event.imagesPerSecond;
        this.steps += 1;
        this.bar?.update(event.step, this.payload(event.epoch, event.step));
        return;
      }
      case 'epoch': {
        this.lastEpochLine = `epoch ${event.epoch + 1}/${this.epochs}: train loss ${event.loss.toFixed(3)} top-1 ${formatPercent(event.top1)}`;
        this.lossSum = this.correct = this.samples = this.steps = 0;
        return;
      }
      case 'eval': {
        const prefix = this.lastEpochLine || `step ${event.step}`;
        this.line(`${prefix} | ${formatEval(event)}`);
        this.lastEpochLine = '';
        return;
      }
      case 'checkpoint':
        return;
      case 'done': {
        if (this.lastEpochLine) this.line(this.lastEpochLine);
        this.stop();
        return;
      }
    }
  }

  private payload(epoch: number, step = 0): Record<string, string> {
    const total = this.batchesPerEpoch === undefined ? undefined : this.epochs * this.batchesPerEpoch;
    const meanBatch = this.samples / Math.max(1, this.steps);
    const left = total !== undefined && this.imagesPerSecond > 0 ? formatDuration(((total - step) * meanBatch) / this.imagesPerSecond) : '?';
    return {
      epochOf: `${epoch + 1}/${this.epochs}`,
      loss: this.samples ? (this.lossSum / this.samples).toFixed(3) : '-',
      accuracy: this.samples ? formatPercent(this.correct / this.samples) : '-',
      ips: this.imagesPerSecond.toFixed(0),
      left,
    };
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
    this.bar = undefined;
  }
}
