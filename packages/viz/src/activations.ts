// Activation maps: what every convolution of a network responds to in one sketch, as tiled images.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  convActivationSites, findLayer, hasBinarizedInput, imageTensor, innerModel, layerInput, layerOutput, type Layer,
} from './model-inspect.js';
import {
  channelOf, colorize, concatHorizontal, encodePng, tileGrid, upscale, upscaleFactorFor, valueRange, symmetricRange,
  type GridLayout, type HwcImage, type RgbaImage,
} from './raster.js';
import type { ColormapName } from './colormap.js';

/** The maps of one layer for one image: height x width x channels, channel last. */
export interface LayerActivation extends HwcImage {
  /** The layer the maps were read from. */
  layer: string;
  /** The convolution they belong to. */
  convLayer: string;
  /** 'output': the convolution's activation (after BatchNorm/ReLU when present);
   * 'binary-input': what an XNOR layer multiplies, i.e. its quantized input (+1/-1 for sign binarizers). */
  kind: 'output' | 'binary-input';
}

function readMaps(model: tfl.LayersModel, image: HwcImage, tensors: ReturnType<typeof layerOutput>[]): Float32Array[] {
  const probe = innerModel(model, tensors);
  return tf.tidy(() => {
    const input = imageTensor(model, image);
    const outputs = probe.predict(input);
    return (Array.isArray(outputs) ? outputs : [outputs]).map((t) => t.dataSync() as Float32Array);
  });
}

function asActivation(data: Float32Array, shape: (number | null)[], layer: string, convLayer: string, kind: LayerActivation['kind']): LayerActivation {
  if (shape.length !== 4) throw new Error(`layer "${layer}" gives rank-${shape.length} output; activation maps need [batch, height, width, channels]`);
  return { layer, convLayer, kind, height: shape[1]!, width: shape[2]!, channels: shape[3]!, data };
}

export interface ActivationOptions {
  /** Read only these convolutions (by name); default: all. */
  convLayers?: string[];
}

/**
 * The activation maps of every convolution for one image (HWC, already sized for the model): the output
 * of the per-element chain after the convolution (ReLU, BatchNorm, a binary activation), or the raw
 * convolution when nothing follows it.
 */
export function computeActivations(model: tfl.LayersModel, image: HwcImage, options: ActivationOptions = {}): LayerActivation[] {
  let sites = convActivationSites(model);
  if (options.convLayers) {
    const wanted = options.convLayers.map((name) => findLayer(model, name).name);
    sites = sites.filter((site) => wanted.includes(site.conv.name));
  }
  if (sites.length === 0) throw new Error(`model "${model.name}" has no convolution layers to show`);
  const outputs = sites.map((site) => layerOutput(site.activation));
  const maps = readMaps(model, image, outputs);
  return sites.map((site, i) => asActivation(maps[i]!, outputs[i]!.shape, site.activation.name, site.conv.name, 'output'));
}

/** The layer's own input quantizer when it exposes one (QuantConv2D/QuantDense do), so the maps show exactly what it multiplies. */
function inputQuantizerOf(layer: Layer): ((x: tf.Tensor) => tf.Tensor) | undefined {
  const quantizer = (layer as unknown as { inputQuantizer?: { apply?: unknown } }).inputQuantizer;
  return quantizer && typeof quantizer.apply === 'function' ? (x) => (quantizer.apply as (x: tf.Tensor) => tf.Tensor)(x) : undefined;
}

/**
 * For every layer that quantizes its input (XNOR layers), the maps it actually multiplies for this image:
 * its input through its own input quantizer (+1/-1 for sign binarizers), or sign(input) with 0 -> +1 when the
 * layer does not expose the quantizer. Empty for float and BWN networks.
 */
export function computeBinaryInputActivations(model: tfl.LayersModel, image: HwcImage): LayerActivation[] {
  const layers: Layer[] = model.layers.filter((layer) => hasBinarizedInput(layer) && layerInput(layer).shape.length === 4);
  if (layers.length === 0) return [];
  const inputs = layers.map(layerInput);
  const maps = readMaps(model, image, inputs);
  return layers.map((layer, i) => {
    const quantize = inputQuantizerOf(layer);
    const values = quantize
      ? tf.tidy(() => quantize(tf.tensor(maps[i]!)).dataSync() as Float32Array)
      : maps[i]!.map((v) => (v >= 0 ? 1 : -1));
    return asActivation(values, inputs[i]!.shape, layer.name, layer.name, 'binary-input');
  });
}

export interface ActivationGridOptions {
  colormap?: ColormapName;
  /** 'map': each tile spans its own min..max (default; weak and strong maps both visible);
   * 'layer': one range for all tiles (compares channels). Maps of a single unit (1x1) always use 'layer'. */
  normalize?: 'map' | 'layer';
  /** Tiles are upscaled (nearest) until at least this many pixels wide. Default 32. */
  minTileSize?: number;
  columns?: number;
  gap?: number;
}

export interface ActivationGrid {
  image: RgbaImage;
  layout: GridLayout;
  /** Each tile's [min, max] colormap range. */
  ranges: [number, number][];
}

/**
 * One tile per channel, upscaled with nearest neighbour, normalized per map or per layer (see options; the
 * ranges are returned). Quantized-input maps use a gray scale symmetric about 0 (black -1, white +1 for signs).
 */
export function activationGrid(maps: LayerActivation, options: ActivationGridOptions = {}): ActivationGrid {
  const factor = upscaleFactorFor(Math.min(maps.width, maps.height), options.minTileSize ?? 32);
  const binary = maps.kind === 'binary-input';
  const perLayer = options.normalize === 'layer' || maps.width * maps.height === 1;
  const layerRange = valueRange(maps.data);
  const ranges: [number, number][] = [];
  const tiles = Array.from({ length: maps.channels }, (_, channel) => {
    const map = channelOf(maps, channel);
    const range: [number, number] = binary ? symmetricRange(maps.data) : perLayer ? layerRange : valueRange(map.data);
    ranges.push(range);
    return upscale(colorize(map, { colormap: binary ? 'gray' : (options.colormap ?? 'viridis'), range }), factor);
  });
  const grid = tileGrid(tiles, { columns: options.columns, gap: options.gap ?? 2, background: [255, 255, 255] });
  return { ...grid, ranges };
}

export function activationGridPng(maps: LayerActivation, options: ActivationGridOptions = {}): Uint8Array {
  return encodePng(activationGrid(maps, options).image);
}

export interface RunActivations {
  /** Shown in captions, e.g. "vanilla", "BWN", "XNOR". */
  label: string;
  layers: LayerActivation[];
}

export interface ActivationComparison {
  /** Index of the convolution (1-based in captions: conv 1, conv 2, ...). */
  index: number;
  /** Layer names per run, in run order. */
  layers: string[];
  png: Uint8Array;
  /** x offset of each run's grid in the PNG. */
  offsets: number[];
}

/**
 * For each convolution depth, the grids of all runs side by side (left to right in run order) on the same
 * sketch. Runs are matched by convolution index, so they must have the same number of convolutions.
 */
export function compareActivations(runs: readonly RunActivations[], options: ActivationGridOptions = {}): ActivationComparison[] {
  if (runs.length === 0) throw new Error('compareActivations needs at least one run');
  const depth = runs[0]!.layers.length;
  const mismatch = runs.find((run) => run.layers.length !== depth);
  if (mismatch) {
    throw new Error(
      `runs cannot be compared: "${runs[0]!.label}" has ${depth} convolutions, "${mismatch.label}" has ${mismatch.layers.length}`,
    );
  }
  return Array.from({ length: depth }, (_, index) => {
    const grids = runs.map((run) => activationGrid(run.layers[index]!, options).image);
    const { image, offsets } = concatHorizontal(grids, 16);
    return { index, layers: runs.map((run) => run.layers[index]!.layer), png: encodePng(image), offsets };
  });
}
