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

export class ModelPanel {
  private readonly el: Record<'title' | 'meta' | 'backend' | 'top' | 'latency', HTMLElement>;
  private readonly preview: HTMLCanvasElement;
  private latencies: number[] = [];

  constructor(readonly root: HTMLElement) {
    const pick = (selector: string) => root.querySelector<HTMLElement>(selector)!;
    this.el = { title: pick('.model-name'), meta: pick('.model-meta'), backend: pick('.model-backend'), top: pick('.top'), latency: pick('.latency') };
    this.preview = root.querySelector('canvas.preview')!;
  }

  loading(what: string): void {
    this.root.dataset.state = 'loading';
    this.el.meta.textContent = `loading ${what}…`;
  }

  loaded(info: ModelInfo): void {
    this.root.dataset.state = 'ready';
    this.el.title.textContent = info.name;
    this.el.title.title = info.where;
    this.el.meta.textContent = `${formatBytes(info.bytes)} · ${info.classes.length} classes · ${info.inputSize}px`;
    this.latencies = [];
    this.showEmpty();
  }

  failed(): void {
    if (this.root.dataset.state === 'loading') {
      this.root.dataset.state = 'failed';
      this.el.meta.textContent = 'no model loaded';
    }
  }

  backend(name: string): void {
    this.el.backend.textContent = name;
    this.latencies = [];
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
    const sorted = [...this.latencies].sort((a, b) => a - b);
    this.el.latency.textContent = `${ms.toFixed(1)} ms · median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms`;
    this.preview.width = size;
    this.preview.height = size;
    this.preview.getContext('2d')?.putImageData(new ImageData(previewPixels(input, size, channels), size, size), 0, 0);
  }
}
