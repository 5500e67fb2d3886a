// A model summary in the way of larq's `lq.models.summary`: per layer the output shape, the bits of its weights and
// of its inputs, parameters at 32 and at 1 bit, memory as float and as packed, and multiply-accumulates split into
// binary (1-bit weights on 1-bit inputs: XNOR-popcount) and float; with totals. Pure: it reads layer configs and
// weight shapes, never weight values, so it works on a training model, a loaded run and a packed bundle alike.
import type * as tfl from '@tensorflow/tfjs-layers';

export interface LayerSummary {
  name: string;
  /** The layer's class, e.g. QuantConv2D. */
  type: string;
  /** Output shape without the batch axis, e.g. [71, 71, 64]. */
  outputShape: number[];
  /** Bits per input activation the layer computes with (1 where inputs are binarized). */
  inputBits: number;
  /** Bits per kernel weight (1 where the kernel is binarized); undefined without a kernel. */
  weightBits?: number;
  /** Parameters stored at 32 bits (float kernels, biases, scales, BatchNorm). */
  params32: number;
  /** Parameters that are single bits (binarized kernels). */
  params1: number;
  /** Bytes of the parameters as float32 (a training model or run folder). */
  floatBytes: number;
  /** Bytes once packed: 1-bit kernels as bits plus one float scale per filter, the rest float32. */
  packedBytes: number;
  /** Multiply-accumulates per image on float values. */
  floatMacs: number;
  /** Multiply-accumulates per image that are XNOR-popcounts (1-bit weights and 1-bit inputs). */
  binaryMacs: number;
}

export interface ModelSummary {
  name: string;
  layers: LayerSummary[];
  totals: Omit<LayerSummary, 'name' | 'type' | 'outputShape' | 'inputBits' | 'weightBits'> & { params: number };
}

interface QuantizedLayer {
  kernelQuantizer?: { precision: number } | null;
  inputQuantizer?: { precision: number } | null;
}
interface PackedLayer {
  filters: number;
  kernelSize: [number, number];
  inChannels: number;
  mode: 'xnor' | 'bwn';
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const outputShapeOf = (layer: tfl.layers.Layer): number[] => {
  const shape = layer.outputShape as (number | null)[] | (number | null)[][];
  const first = Array.isArray(shape[0]) ? (shape[0] as (number | null)[]) : (shape as (number | null)[]);
  return first.slice(1).map((d) => d ?? 0);
};

/** One layer's row. */
export function summarizeLayer(layer: tfl.layers.Layer): LayerSummary {
  const type = layer.getClassName();
  const outputShape = outputShapeOf(layer);
  const weights = layer.weights.map((w) => ({ name: w.originalName ?? w.name, shape: w.shape as number[] }));
  const outputPositions = count(outputShape.slice(0, -1));
  const row: LayerSummary = { name: layer.name, type, outputShape, inputBits: 32, params32: 0, params1: 0, floatBytes: 0, packedBytes: 0, floatMacs: 0, binaryMacs: 0 };

  if (type === 'PackedConv2D') {
    const packed = layer as unknown as PackedLayer;
    const [kh, kw] = packed.kernelSize;
    const kernel = kh * kw * packed.inChannels * packed.filters;
    const floats = weights.filter((w) => !w.name.endsWith('kernel_bits') && !w.name.endsWith('negate')).reduce((n, w) => n + count(w.shape), 0);
    Object.assign(row, { inputBits: packed.mode === 'xnor' ? 1 : 32, weightBits: 1, params1: kernel, params32: floats });
    row.floatBytes = 4 * (kernel + floats);
    row.packedBytes = weights.reduce((n, w) => n + 4 * count(w.shape), 0); // what it stores (bits in int32 words)
    addMacs(row, outputPositions * packed.filters * kh * kw * packed.inChannels);
    return row;
  }

  const quantized = layer as unknown as QuantizedLayer;
  const weightBits = quantized.kernelQuantizer?.precision ?? 32;
  row.inputBits = quantized.inputQuantizer?.precision ?? 32;
  const kernel = weights.find((w) => /(^|\/)(kernel|depthwise_kernel)$/.test(w.name));
  const others = weights.filter((w) => w !== kernel).reduce((n, w) => n + count(w.shape), 0);
  if (kernel) {
    row.weightBits = weightBits;
    const kernelCount = count(kernel.shape);
    const filters = kernel.shape.at(-1) ?? 1;
    if (weightBits === 1) row.params1 = kernelCount;
    else row.params32 = kernelCount;
    // a binarized kernel ships as bits plus one float scale (alpha) per output filter
    row.packedBytes = weightBits === 1 ? Math.ceil(kernelCount / 8) + 4 * filters : 4 * kernelCount;
    // a kernel [..., in, out] is used once per output position; a dense kernel [in, out] once per image
    addMacs(row, outputPositions * kernelCount);
  }
  row.params32 += others;
  row.packedBytes += 4 * others;
  row.floatBytes = 4 * (row.params1 + row.params32);
  return row;
}

function addMacs(row: LayerSummary, macs: number): void {
  if (row.weightBits === 1 && row.inputBits === 1) row.binaryMacs = macs;
  else row.floatMacs = macs;
}

/** Every layer's row and the totals (`lq.models.summary` for the project's layers). */
export function summary(model: tfl.LayersModel): ModelSummary {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer').map(summarizeLayer);
  const sum = (key: keyof ModelSummary['totals'] & keyof LayerSummary) => layers.reduce((n, l) => n + (l[key] as number), 0);
  const totals = {
    params32: sum('params32'),
    params1: sum('params1'),
    floatBytes: sum('floatBytes'),
    packedBytes: sum('packedBytes'),
    floatMacs: sum('floatMacs'),
    binaryMacs: sum('binaryMacs'),
    params: 0,
  };
  totals.params = totals.params32 + totals.params1;
  return { name: model.name, layers, totals };
}

const thousands = (n: number) => n.toLocaleString('en-US');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const millions = (n: number) => (n === 0 ? '0' : `${(n / 1e6).toFixed(2)} M`);

/** The summary as a plain-text table, one row per layer, then the totals and the ratios. */
export function formatSummary(s: ModelSummary): string {
  const header = ['layer', 'type', 'output', 'in bits', 'w bits', '32-bit params', '1-bit params', 'float', 'packed', 'float MACs', 'binary MACs'];
  const rows = s.layers.map((l) => [
    l.name, l.type, l.outputShape.join('x'), l.weightBits === undefined ? '-' : String(l.inputBits), l.weightBits === undefined ? '-' : String(l.weightBits),
    thousands(l.params32), thousands(l.params1), kib(l.floatBytes), kib(l.packedBytes), millions(l.floatMacs), millions(l.binaryMacs),
  ]);
  const t = s.totals;
  rows.push(['total', '', '', '', '', thousands(t.params32), thousands(t.params1), kib(t.floatBytes), kib(t.packedBytes), millions(t.floatMacs), millions(t.binaryMacs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const binaryShare = t.floatMacs + t.binaryMacs > 0 ? (100 * t.binaryMacs) / (t.floatMacs + t.binaryMacs) : 0;
  return [
    `${s.name}: ${thousands(t.params)} parameters (${thousands(t.params1)} of them 1-bit)`,
    line(header),
    rule,
    ...rows.slice(0, -1).map(line),
    rule,
    line(rows.at(-1)!),
    `memory: ${kib(t.floatBytes)} as float, ${kib(t.packedBytes)} packed (${(t.floatBytes / Math.max(1, t.packedBytes)).toFixed(1)}x smaller); ` +
      `MACs: ${binaryShare.toFixed(1)}% binary`,
  ].join('\n');
}
