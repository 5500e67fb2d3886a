// What QuantConv2D and QuantDense share: reading the quantizer options (with errors that name the layer),
// writing them to the layer config by name and options, and clipping the latent (float) kernel.
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables.js';
import { getQuantizer, type Quantizer, type QuantizerSpec } from '../quantizer.js';
import { describeValue } from '../options.js';

/** The options a quantized layer adds to the ordinary Conv2D / Dense options. */
export interface QuantizedLayerArgs {
  /** How the layer's input is quantized (any form getQuantizer takes); null/undefined = float input. */
  inputQuantizer?: QuantizerSpec | null;
  /** How the kernel is quantized on every forward pass; null/undefined = float kernel. */
  kernelQuantizer?: QuantizerSpec | null;
  /** [min, max] the latent float kernel is clipped to by `clipLatentWeights` after each optimizer step. */
  kernelClip?: [number, number] | null;
}

export interface QuantizedLayerSettings {
  readonly inputQuantizer: Quantizer | null;
  readonly kernelQuantizer: Quantizer | null;
  readonly kernelClip: [number, number] | null;
}

/** A layer whose latent weights need clipping after each optimizer step (tfjs-layers ignores constraints in training). */
export interface LatentClipping {
  clipLatentWeights(): void;
}

export function hasLatentClipping(layer: unknown): layer is LatentClipping {
  return typeof (layer as Partial<LatentClipping> | null)?.clipLatentWeights === 'function';
}

/** Reads and checks the quantized-layer options; `where` names the layer in errors, e.g. 'QuantConv2D "conv1"'. */
export function readQuantizedLayerArgs(where: string, args: QuantizedLayerArgs): QuantizedLayerSettings {
  return {
    inputQuantizer: resolveQuantizer(where, 'inputQuantizer', args.inputQuantizer),
    kernelQuantizer: resolveQuantizer(where, 'kernelQuantizer', args.kernelQuantizer),
    kernelClip: readKernelClip(where, args.kernelClip),
  };
}

function resolveQuantizer(where: string, option: string, spec: QuantizerSpec | null | undefined): Quantizer | null {
  if (spec === null || spec === undefined) return null;
  try {
    return getQuantizer(spec);
  } catch (err) {
    throw new Error(`${where}: ${option}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function readKernelClip(where: string, clip: unknown): [number, number] | null {
  if (clip === null || clip === undefined) return null;
  const ok =
    Array.isArray(clip) && clip.length === 2 && clip.every((v) => typeof v === 'number' && Number.isFinite(v)) && clip[0] < clip[1];
  if (!ok) throw new Error(`${where}: kernelClip must be [min, max] with finite min < max, got ${describeValue(clip)}`);
  return [clip[0], clip[1]];
}

/** The quantized-layer options as they go into the layer config: quantizers by name and options. */
export function quantizedLayerConfig(settings: QuantizedLayerSettings): serialization.ConfigDict {
  return {
    inputQuantizer: settings.inputQuantizer?.getConfig() ?? null,
    kernelQuantizer: settings.kernelQuantizer?.getConfig() ?? null,
    kernelClip: settings.kernelClip,
  } as serialization.ConfigDict;
}

/** Clips a layer variable in place (no-op before the layer is built or without a clip range). */
export function clipVariable(variable: LayerVariable | null | undefined, clip: [number, number] | null): void {
  if (!variable || !clip) return;
  tf.tidy(() => {
    variable.write(tf.clipByValue(variable.read(), clip[0], clip[1]));
  });
}

/** `quantizer.apply(x)`, or x itself when there is no quantizer. */
export function quantize(quantizer: Quantizer | null, x: tf.Tensor): tf.Tensor {
  return quantizer ? quantizer.apply(x) : x;
}

/**
 * The class tfjs-layers registered under `className` (e.g. Conv2D). Taken from the serialization registry,
 * not from a deep import, so that subclasses share the very class instance the package's main entry uses.
 */
export function registeredLayerClass<C>(className: string): C {
  const entry = serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`@tensorflow/tfjs-layers has not registered a layer class named ${className}`);
  return entry[0] as unknown as C;
}
