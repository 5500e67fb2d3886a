// What the weights look like: first-layer filters as images, latent-weight histograms of binarized
// layers, and the share of signs that flipped between two checkpoints.
import type * as tfl from '@tensorflow/tfjs-layers';
import { hasBinarizedKernel } from './model-inspect.js';
import { colorize, createRgba, encodePng, symmetricRange, tileGrid, upscale, upscaleFactorFor, type GridLayout, type RgbaImage } from './raster.js';
import { panelGrid, renderVegaLite, vegaLiteSchema, type VegaLiteSpec } from './vega.js';

/** One layer's kernel as plain data (convolutions: [kh, kw, inChannels, outChannels]). */
export interface LayerWeights {
  layer: string;
  shape: number[];
  values: Float32Array;
  /** The layer binarizes this kernel in its forward pass (BWN/XNOR); `values` are the latent floats. */
  binarized: boolean;
}

/** The kernel of every layer that has one (convolutions and dense layers), in layer order. */
export function kernelWeights(model: tfl.LayersModel): LayerWeights[] {
  const result: LayerWeights[] = [];
  for (const layer of model.layers) {
    const index = layer.weights.findIndex((w) => /(^|\/)kernel(_\d+)?$/.test(w.originalName ?? w.name) || /(^|\/)kernel(_\d+)?$/.test(w.name));
    if (index < 0) continue;
    const tensor = layer.getWeights()[index]!;
    result.push({ layer: layer.name, shape: tensor.shape.slice(), values: tensor.dataSync() as Float32Array, binarized: hasBinarizedKernel(layer) });
  }
  return result;
}

export interface Histogram {
  /** bins + 1 edges, ascending. */
  edges: Float64Array;
  counts: Int32Array;
}

/** Equal-width histogram over `range` (default: the data's min..max); values outside are clamped in. */
export function histogram(values: ArrayLike<number>, bins = 50, range?: [number, number]): Histogram {
  let [low, high] = range ?? [Infinity, -Infinity];
  if (!range) for (let i = 0; i < values.length; i++) { low = Math.min(low, values[i]!); high = Math.max(high, values[i]!); }
  if (!(high > low)) { low = (Number.isFinite(low) ? low : 0) - 0.5; high = low + 1; }
  const width = (high - low) / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => low + i * width);
  const counts = new Int32Array(bins);
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.max(0, Math.floor((values[i]! - low) / width)))]!++;
  return { edges, counts };
}

/** Histograms of latent weights, one panel per layer (pass `kernelWeights(model).filter(w => w.binarized)`). */
export function weightHistogramsSpec(layers: readonly LayerWeights[], bins = 60): VegaLiteSpec {
  if (layers.length === 0) throw new Error('weightHistograms needs at least one layer');
  const panels = layers.map((weights) => {
    const { edges, counts } = histogram(weights.values, bins);
    const values = Array.from(counts, (count, i) => ({ start: edges[i]!, end: edges[i + 1]!, count }));
    return {
      title: { text: `${weights.layer}${weights.binarized ? ' (binarized)' : ''}`, subtitle: `${weights.values.length.toLocaleString('en')} weights` },
      width: 220,
      height: 120,
      data: { values },
      mark: { type: 'rect' as const, color: weights.binarized ? '#c0392b' : '#2c7fb8' },
      encoding: {
        x: { field: 'start', type: 'quantitative' as const, title: 'latent weight', scale: { zero: false } },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative' as const, title: 'count' },
      },
    };
  });
  return panelGrid('Latent weight distributions', panels, 3, { scale: { x: 'independent', y: 'independent' } });
}

export async function weightHistogramsSvg(layers: readonly LayerWeights[], bins = 60): Promise<string> {
  return renderVegaLite(weightHistogramsSpec(layers, bins));
}

export interface SignFlips {
  layer: string;
  flipped: number;
  total: number;
  share: number;
}

/** Sign of a latent weight as the binarizers see it: 0 counts as +1. */
const positive = (v: number) => v >= 0;

/**
 * Per layer present in both sets (matched by name), how many weights changed sign from `before` to
 * `after`; a shape mismatch throws, naming the layer.
 */
export function signFlips(before: readonly LayerWeights[], after: readonly LayerWeights[]): SignFlips[] {
  const earlier = new Map(before.map((w) => [w.layer, w]));
  const result: SignFlips[] = [];
  for (const later of after) {
    const old = earlier.get(later.layer);
    if (!old) continue;
    if (old.values.length !== later.values.length || old.shape.join('x') !== later.shape.join('x')) {
      throw new Error(`layer "${later.layer}": kernel shape ${old.shape.join('x')} in the first checkpoint but ${later.shape.join('x')} in the second`);
    }
    let flipped = 0;
    for (let i = 0; i < later.values.length; i++) if (positive(old.values[i]!) !== positive(later.values[i]!)) flipped++;
    result.push({ layer: later.layer, flipped, total: later.values.length, share: later.values.length ? flipped / later.values.length : 0 });
  }
  if (result.length === 0) throw new Error('signFlips: the two weight sets share no layer names');
  return result;
}

export function signFlipsSpec(flips: readonly SignFlips[], title = 'Weights whose sign flipped between checkpoints'): VegaLiteSpec {
  return {
    $schema: vegaLiteSchema,
    title,
    width: 360,
    height: { step: 18 },
    data: { values: flips.map((f) => ({ ...f })) },
    mark: { type: 'bar', color: '#c0392b' },
    encoding: {
      y: { field: 'layer', type: 'nominal', sort: null, title: null },
      x: { field: 'share', type: 'quantitative', axis: { format: '.1%' }, title: 'share of weights with a flipped sign' },
      tooltip: [{ field: 'layer' }, { field: 'flipped' }, { field: 'total' }, { field: 'share', format: '.3%' }],
    },
  } as VegaLiteSpec;
}

export async function signFlipsSvg(flips: readonly SignFlips[], title?: string): Promise<string> {
  return renderVegaLite(signFlipsSpec(flips, title));
}

export interface FilterGridOptions {
  /** Show the binarized kernel (sign) instead of the latent weights. */
  binarize?: boolean;
  /** Tiles are upscaled (nearest) until at least this many pixels wide. Default 40. */
  minTileSize?: number;
  columns?: number;
}

/**
 * First-layer filters, one tile per output channel. One input channel: blue (negative) - white - red
 * (positive), symmetric per filter. Three input channels: an RGB image per filter (0.5 gray = 0).
 * Other counts: one tile per (output, input) pair, rows of output channels.
 */
export function filterGrid(kernel: LayerWeights, options: FilterGridOptions = {}): { image: RgbaImage; layout: GridLayout } {
  if (kernel.shape.length !== 4) throw new Error(`layer "${kernel.layer}": filters need a 4-D convolution kernel, got shape [${kernel.shape.join(', ')}]`);
  const [kh, kw, inChannels, outChannels] = kernel.shape as [number, number, number, number];
  const at = (y: number, x: number, c: number, o: number) => {
    const v = kernel.values[((y * kw + x) * inChannels + c) * outChannels + o]!;
    return options.binarize ? (v >= 0 ? 1 : -1) : v;
  };
  const factor = upscaleFactorFor(Math.min(kh, kw), options.minTileSize ?? 40);
  const tiles: RgbaImage[] = [];
  const mapOf = (o: number, c: number) => {
    const data = new Float32Array(kh * kw);
    for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) data[y * kw + x] = at(y, x, c, o);
    return { width: kw, height: kh, data };
  };
  for (let o = 0; o < outChannels; o++) {
    if (inChannels === 3) {
      const maps = [0, 1, 2].map((c) => mapOf(o, c));
      const [, magnitude] = symmetricRange(maps.flatMap((m) => Array.from(m.data)));
      const tile = createRgba(kw, kh);
      for (let i = 0; i < kw * kh; i++) {
        for (let c = 0; c < 3; c++) tile.data[i * 4 + c] = Math.round(255 * (magnitude > 0 ? 0.5 + maps[c]!.data[i]! / (2 * magnitude) : 0.5));
      }
      tiles.push(upscale(tile, factor));
    } else {
      for (let c = 0; c < inChannels; c++) {
        const map = mapOf(o, c);
        tiles.push(upscale(colorize(map, { colormap: 'diverging', range: symmetricRange(map.data) }), factor));
      }
    }
  }
  const columns = options.columns ?? (inChannels === 3 || inChannels === 1 ? undefined : inChannels);
  return tileGrid(tiles, { columns, gap: 2, background: [255, 255, 255] });
}

export function filterGridPng(kernel: LayerWeights, options: FilterGridOptions = {}): Uint8Array {
  return encodePng(filterGrid(kernel, options).image);
}

/** A named weight as checkpoints and weight manifests store it (e.g. `weights/conv1/kernel`). */
export interface NamedValues {
  name: string;
  shape: readonly number[];
  data: ArrayLike<number>;
}

/**
 * The kernels of the `reference` layers found in a list of named weights (a checkpoint's, an earlier run's):
 * the entry named `<layer>/kernel`, possibly under a prefix, with the same shape. Layers without one are left out.
 */
export function kernelsByLayerName(named: readonly NamedValues[], reference: readonly LayerWeights[]): LayerWeights[] {
  const result: LayerWeights[] = [];
  for (const kernel of reference) {
    const suffix = `${kernel.layer}/kernel`;
    const match = named.find((w) => (w.name === suffix || w.name.endsWith(`/${suffix}`)) && w.shape.join('x') === kernel.shape.join('x'));
    if (match) result.push({ ...kernel, values: Float32Array.from(match.data) });
  }
  return result;
}
