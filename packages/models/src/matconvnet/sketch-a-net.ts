// MatConvNet models (the format the published Sketch-A-Net weights came in) into the zoo's Sketch-A-Net.
// A SimpleNN model: `net.layers`, a cell array of structs with `type` ('conv', 'relu', 'pool', 'dropout',
// 'softmax'/'softmaxloss'), `weights` = {filters [h w in out], biases [out]} (or the older `filters`/`biases`
// fields), `stride`, `pad`, `pool`, `method`. Its eight convolutions map in order onto conv1..fc8; each one's kernel,
// stride and padding must be Sketch-A-Net's, else the error says which layer and what differs. MATLAB stores
// arrays column-major: a kernel [h w in out] is transposed into TF.js's row-major [h, w, in, out].
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../model-registry.js';
import { SKETCH_A_NET_LAYERS } from '../zoo/build-sketch-a-net.js';
import { MIN_INPUT_SIZE, sketchANetGeometry } from '../zoo/options.js';
import { MatFileError, type MatValue } from './mat-v5.js';

export interface MatConvNetImportOptions {
  /** Names the file in errors. */
  file: string;
  /** Input size; by default the one whose pool5 matches fc6's kernel, preferring the study's 225. */
  inputSize?: number;
  /** Class names; by default `net.meta.classes.name` (or `net.classes.name`), else class-0, class-1, ... */
  classes?: string[];
}

export interface MatConvNetImport {
  model: tfl.LayersModel;
  /** The zoo name and options the model was built with, and its class names (a run's run.json fields). */
  info: { model: 'sketch-a-net'; options: Record<string, unknown>; classes: string[] };
  /** Per MatConvNet layer: its index (1-based, as MATLAB counts), type and where it went. */
  layers: Array<{ index: number; name: string; type: string; mappedTo?: string }>;
  /** `net.meta.normalization` (or `net.normalization`) fields, when the model records them: averageImage etc. */
  normalization?: Record<string, number[] | string>;
}

/** What each of Sketch-A-Net's eight convolutions must be: kernel side (fc6: from the input size), stride, pad. */
const CONV_GEOMETRY: Record<(typeof SKETCH_A_NET_LAYERS)[number], { kernel: number | 'pool5'; stride: number; pad: number; filters: number | 'classes' }> = {
  conv1: { kernel: 15, stride: 3, pad: 0, filters: 64 },
  conv2: { kernel: 5, stride: 1, pad: 0, filters: 128 },
  conv3: { kernel: 3, stride: 1, pad: 1, filters: 256 },
  conv4: { kernel: 3, stride: 1, pad: 1, filters: 256 },
  conv5: { kernel: 3, stride: 1, pad: 1, filters: 256 },
  fc6: { kernel: 'pool5', stride: 1, pad: 0, filters: 512 },
  fc7: { kernel: 1, stride: 1, pad: 0, filters: 512 },
  fc8: { kernel: 1, stride: 1, pad: 0, filters: 'classes' },
};
const IGNORED_TYPES = new Set(['relu', 'dropout', 'softmax', 'softmaxloss', 'loss']);

/** The zoo's Sketch-A-Net with the weights of a MatConvNet model (the variables of its .mat file). */
export function sketchANetFromMatConvNet(variables: Map<string, MatValue>, options: MatConvNetImportOptions): MatConvNetImport {
  const { file } = options;
  const fail = (why: string): never => {
    throw new MatFileError(`${file}: ${why}`);
  };
  const net = variables.get('net') ?? (variables.has('layers') ? structOf(variables) : undefined);
  if (!net) fail(`has no "net" variable (variables: ${[...variables.keys()].join(', ') || 'none'}): not a MatConvNet model`);
  const top = singleStruct(net!, '"net"', fail);
  if ('params' in top && 'vars' in top) fail('is a MatConvNet DagNN model; only SimpleNN models (net.layers as a cell array) are read');
  const layersValue = top['layers'];
  if (!layersValue || layersValue.kind !== 'cell') fail('net.layers is not a cell array of layers: not a MatConvNet SimpleNN model');

  const report: MatConvNetImport['layers'] = [];
  const convs: Array<{ index: number; name: string; filters: MatValue; biases: MatValue; stride: number[]; pad: number[] }> = [];
  (layersValue as Extract<MatValue, { kind: 'cell' }>).items.forEach((item, i) => {
    const index = i + 1;
    const layer = singleStruct(item, `net.layers{${index}}`, fail);
    const type = charOf(layer['type']) ?? fail(`net.layers{${index}} has no "type"`);
    const name = charOf(layer['name']) ?? `layer${index}`;
    const where = `net.layers{${index}} ("${name}", type ${type})`;
    report.push({ index, name, type });
    if (type === 'conv') {
      const [filters, biases] = weightsOf(layer, where, fail);
      convs.push({ index, name, filters, biases, stride: numbersOf(layer['stride'], [1]), pad: numbersOf(layer['pad'], [0]) });
    } else if (type === 'pool') {
      const method = charOf(layer['method']) ?? 'max';
      const size = numbersOf(layer['pool'], []);
      const stride = numbersOf(layer['stride'], [1]);
      const pad = numbersOf(layer['pad'], [0]);
      if (method !== 'max' || !allEqual(size, 3) || !allEqual(stride, 2) || !allEqual(pad, 0)) {
        fail(`${where}: Sketch-A-Net pools by max 3x3, stride 2, pad 0; this is ${method} [${size}], stride [${stride}], pad [${pad}]`);
      }
    } else if (!IGNORED_TYPES.has(type)) {
      fail(`${where}: a layer type Sketch-A-Net does not have (it has conv, relu, pool, dropout and a softmax loss)`);
    }
  });
  if (convs.length !== SKETCH_A_NET_LAYERS.length) {
    fail(`has ${convs.length} convolutions; Sketch-A-Net has ${SKETCH_A_NET_LAYERS.length} (conv1-conv5, fc6-fc8): not a Sketch-A-Net`);
  }

  const kernelShape = (value: MatValue, where: string): number[] => {
    if (value.kind !== 'numeric') return fail(`${where}: filters are not numeric`);
    const [h = 1, w = 1, inputs = 1, outputs = 1, ...more] = value.dims;
    if (more.some((d) => d !== 1)) fail(`${where}: filters have dimensions [${value.dims}], expected [h w in out]`);
    return [h, w, inputs, outputs];
  };
  const shapes = convs.map((conv, i) => kernelShape(conv.filters, `net.layers{${conv.index}} ("${conv.name}", ${SKETCH_A_NET_LAYERS[i]})`));
  const channels = shapes[0]![2]!;
  const width = shapes[0]![3]! / 64;
  const classes = shapes[7]![3]!;
  const inputSize = options.inputSize ?? inputSizeFor(shapes[5]![0]!, fail);
  const pool5 = sketchANetGeometry(inputSize).pool5;
  const widthOf = (n: number) => Math.max(1, Math.round(n * width));

  convs.forEach((conv, i): void => {
    const layer = SKETCH_A_NET_LAYERS[i]!;
    const expect = CONV_GEOMETRY[layer];
    const where = `net.layers{${conv.index}} ("${conv.name}", mapped to ${layer})`;
    const [h, w, inputs, outputs] = shapes[i]!;
    const side = expect.kernel === 'pool5' ? pool5 : expect.kernel;
    const wantInputs = i === 0 ? channels : shapes[i - 1]![3]!;
    const wantOutputs = expect.filters === 'classes' ? classes : widthOf(expect.filters);
    if (h !== side || w !== side || inputs !== wantInputs || outputs !== wantOutputs) {
      fail(`${where}: filters [${h} ${w} ${inputs} ${outputs}], expected [${side} ${side} ${wantInputs} ${wantOutputs}] (input ${inputSize}, width ${width})`);
    }
    if (!allEqual(conv.stride, expect.stride) || !allEqual(conv.pad, expect.pad)) {
      fail(`${where}: stride [${conv.stride}] and pad [${conv.pad}], expected stride ${expect.stride} and pad ${expect.pad}`);
    }
    const biases = conv.biases;
    if (biases.kind !== 'numeric' || biases.data.length !== outputs) return fail(`${where}: ${describe(biases)} biases, expected ${outputs}`);
    if (!(conv.filters as Extract<MatValue, { kind: 'numeric' }>).data.every(Number.isFinite) || !biases.data.every(Number.isFinite)) {
      fail(`${where}: weights hold NaN or Inf`);
    }
    report.find((r) => r.index === conv.index)!.mappedTo = layer;
  });

  const classNames = options.classes ?? classNamesOf(top, classes) ?? Array.from({ length: classes }, (_, i) => `class-${i}`);
  if (classNames.length !== classes) fail(`${classNames.length} class names for a net with ${classes} outputs`);
  const modelOptions = { classes, inputSize, width, channels, dropout: 0.5 };
  const model = buildModel('sketch-a-net', modelOptions);
  convs.forEach((conv, i) => {
    const layer = model.getLayer(SKETCH_A_NET_LAYERS[i]!);
    const shape = shapes[i]!;
    layer.setWeights([
      tf.tensor4d(columnMajorToRowMajor((conv.filters as Extract<MatValue, { kind: 'numeric' }>).data, shape), shape as [number, number, number, number]),
      tf.tensor1d(Float32Array.from((conv.biases as Extract<MatValue, { kind: 'numeric' }>).data)),
    ]);
  });
  return {
    model,
    info: { model: 'sketch-a-net', options: modelOptions, classes: classNames },
    layers: report,
    normalization: normalizationOf(top),
  };
}

/** A column-major (MATLAB) array of `dims` as a row-major Float32Array of the same dims. */
export function columnMajorToRowMajor(data: ArrayLike<number>, dims: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  const rank = dims.length;
  const index = new Array<number>(rank).fill(0);
  // walk the column-major order (first index fastest), computing each element's row-major position
  const rowStrides = dims.map((_, axis) => dims.slice(axis + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    let target = 0;
    for (let axis = 0; axis < rank; axis++) target += index[axis]! * rowStrides[axis]!;
    out[target] = data[i]!;
    for (let axis = 0; axis < rank && ++index[axis]! === dims[axis]!; axis++) index[axis] = 0;
  }
  return out;
}

/** The input size whose pool5 is `side`: 225 if it fits, else the smallest that does. */
function inputSizeFor(side: number, fail: (why: string) => never): number {
  const fits = (size: number) => {
    try {
      return sketchANetGeometry(size).pool5 === side;
    } catch {
      return false;
    }
  };
  if (fits(225)) return 225;
  for (let size = MIN_INPUT_SIZE; size <= 2048; size++) if (fits(size)) return size;
  return fail(`fc6's ${side}x${side} kernel fits no Sketch-A-Net input size`);
}

function singleStruct(value: MatValue, where: string, fail: (why: string) => never): Record<string, MatValue> {
  if (value.kind !== 'struct' || value.elements.length !== 1) fail(`${where} is ${describe(value)}, expected a 1x1 struct`);
  return (value as Extract<MatValue, { kind: 'struct' }>).elements[0]!;
}

/** A struct made of top-level variables (a model saved with save(file, '-struct', 'net')). */
function structOf(variables: Map<string, MatValue>): MatValue {
  return { kind: 'struct', dims: [1, 1], fields: [...variables.keys()], elements: [Object.fromEntries(variables)] };
}

function weightsOf(layer: Record<string, MatValue>, where: string, fail: (why: string) => never): [MatValue, MatValue] {
  const weights = layer['weights'];
  if (weights) {
    if (weights.kind !== 'cell' || weights.items.length !== 2) fail(`${where}: weights is ${describe(weights)}, expected {filters, biases}`);
    return (weights as Extract<MatValue, { kind: 'cell' }>).items as [MatValue, MatValue];
  }
  const filters = layer['filters'];
  const biases = layer['biases'];
  if (!filters || !biases) fail(`${where}: no weights (neither "weights" nor "filters" and "biases")`);
  return [filters!, biases!];
}

const charOf = (value: MatValue | undefined): string | undefined => (value?.kind === 'char' ? value.text : undefined);
const numbersOf = (value: MatValue | undefined, fallback: number[]): number[] => (value?.kind === 'numeric' ? Array.from(value.data) : fallback);
const allEqual = (values: readonly number[], expected: number) => values.length > 0 && values.every((v) => v === expected);

function describe(value: MatValue): string {
  return `a ${value.dims.join('x')} ${value.kind === 'numeric' ? value.className : value.kind}`;
}

function classNamesOf(top: Record<string, MatValue>, count: number): string[] | undefined {
  const meta = top['meta']?.kind === 'struct' ? top['meta'].elements[0] : undefined;
  const holder = meta?.['classes'] ?? top['classes'];
  const names = holder?.kind === 'struct' ? holder.elements[0]?.['name'] : undefined;
  if (names?.kind !== 'cell') return undefined;
  const list = names.items.map(charOf);
  return list.length === count && list.every((n): n is string => typeof n === 'string') ? list : undefined;
}

function normalizationOf(top: Record<string, MatValue>): MatConvNetImport['normalization'] {
  const meta = top['meta']?.kind === 'struct' ? top['meta'].elements[0] : undefined;
  const holder = meta?.['normalization'] ?? top['normalization'];
  if (holder?.kind !== 'struct' || holder.elements.length !== 1) return undefined;
  const fields: Record<string, number[] | string> = {};
  for (const [key, value] of Object.entries(holder.elements[0]!)) {
    if (value.kind === 'numeric') fields[key] = Array.from(value.data);
    else if (value.kind === 'char') fields[key] = value.text;
  }
  return fields;
}
