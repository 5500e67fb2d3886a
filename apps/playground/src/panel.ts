// One model's panel: name, size and backend, the network input it was fed, its top-5 and latency.
import { formatBytes } from './strokes.js';
import { formatPercent } from './settings.js';
import type { ModelInfo, Prediction } from './protocol.js';

/**
 * The network input as RGBA pixels, ink dark on white: one channel as gray; stroke-order channels (3) as colors,
 * so early, middle and late strokes show apart.
 */
export function previewPixels(input: Float32Array, size: number, channels: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(size * size * 4);
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++) {
      const ink = channels === 1 ? input[p]! : channels === 3 ? input[p * 3 + c]! : Math.max(...input.subarray(p * channels, (p + 1) * channels));
      pixels[p * 4 + c] = Math.round(255 * (1 - ink));
    }
    pixels[p * 4 + 3] = 255;
  }
  return pixels;
}

/** The panel's line about a model: download size, classes, input. */
export function modelSummary(info: ModelInfo): string {
  return `Size ${formatBytes(info.bytes)} · ${info.classes.length} classes · ${info.inputSize}px`;
}

/** The panel's latency line: the network alone, this run and the median of the recent ones. */
export function latencyText(lastMs: number, medianMs: number): string {
  return `Latency ${lastMs.toFixed(1)} ms · median ${medianMs.toFixed(1)} ms`;
}

/**
 * What the panel says after loading `what` failed. The worker keeps the model it had (it only swaps on success), so
 * the panel keeps naming that one, and says the new one failed; with no earlier model nothing predicts.
 */
export function afterFailedLoad(current: ModelInfo | undefined, what: string): { state: 'ready' | 'failed'; meta: string } {
  if (current === undefined) return { state: 'failed', meta: `no model loaded (${what} failed to load)` };
  return { state: 'ready', meta: `${modelSummary(current)} · ${what} failed to load; still this model` };
}

export class ModelPanel {
  private readonly el: Record<'title' | 'meta' | 'backend' | 'top' | 'latency', HTMLElement>;
  private readonly preview: HTMLCanvasElement;
  private latencies: number[] = [];
  /** The model the worker predicts with (the last one that loaded), and what is being loaded now. */
  private current: ModelInfo | undefined;
  private pending = '';

  constructor(readonly root: HTMLElement) {
    const pick = (selector: string) => root.querySelector<HTMLElement>(selector)!;
    this.el = { title: pick('.model-name'), meta: pick('.model-meta'), backend: pick('.model-backend'), top: pick('.top'), latency: pick('.latency') };
    this.preview = root.querySelector('canvas.preview')!;
  }

  loading(what: string): void {
    this.pending = what;
    this.root.dataset.state = 'loading';
    this.el.meta.textContent = `loading ${what}…`;
  }

  /** The model that predicts now, if one ever loaded. */
  get info(): ModelInfo | undefined {
    return this.current;
  }

  /** Median of the recent latencies (ms), once something was drawn for this model on this backend. */
  get medianMs(): number | undefined {
    if (this.latencies.length === 0) return undefined;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  loaded(info: ModelInfo): void {
    this.current = info;
    this.root.dataset.state = 'ready';
    this.root.dataset.bytes = String(info.bytes);
    this.root.dataset.kernels = info.kernels.join(' ');
    this.el.title.textContent = info.name;
    this.el.title.title = `${info.name}, from ${info.where}`;
    this.el.meta.textContent = modelSummary(info);
    this.latencies = [];
    delete this.root.dataset.medianMs;
    this.showEmpty();
  }

  /** Loading failed: the panel names the model that still predicts (see afterFailedLoad). */
  failed(): void {
    if (this.root.dataset.state !== 'loading') return;
    const { state, meta } = afterFailedLoad(this.current, this.pending);
    this.root.dataset.state = state;
    this.el.meta.textContent = meta;
  }

  backend(name: string): void {
    this.el.backend.textContent = name;
    this.latencies = [];
    delete this.root.dataset.medianMs;
  }

  showEmpty(): void {
    this.el.top.replaceChildren();
    this.el.latency.textContent = '';
    this.preview.getContext('2d')?.clearRect(0, 0, this.preview.width, this.preview.height);
  }

  show(top: Prediction[], ms: number, input: Float32Array, size: number, channels: number): void {
    const items = top.map(({ label, score }) => {
      const li = document.createElement('li');
      li.style.setProperty('--score', String(score));
      const name = document.createElement('span');
      name.className = 'label';
      name.textContent = label;
      const value = document.createElement('span');
      value.className = 'score';
      value.textContent = formatPercent(score);
      li.append(name, value);
      return li;
    });
    this.el.top.replaceChildren(...items);
    this.latencies = [...this.latencies.slice(-19), ms];
    const median = this.medianMs!;
    this.root.dataset.medianMs = String(median);
    this.el.latency.textContent = latencyText(ms, median);
    this.preview.width = size;
    this.preview.height = size;
    this.preview.getContext('2d')?.putImageData(new ImageData(previewPixels(input, size, channels), size, size), 0, 0);
  }
}
