// SparseConv2D: the inference form of a float convolution that reads a sketch directly (Sketch-A-Net's conv1).
// Same weights as the Conv2D it replaces (`kernel` [kh, kw, in, out] and `bias`, so 8-bit storage and loading by
// name work as before); it runs the SparseConv2D kernel, which scatters only the nonzero input pixels and falls
// back to the dense convolution when an input is not sparse. packModel({ sparseFirstLayer: true }) puts it in.
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers, initializers } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import { sparseConv2d } from './sparse-conv2d-op.js';
import { DEFAULT_MAX_DENSITY } from './sparse-conv2d-kernel.js';
import { convOutputShape } from './conv-shape.js';

type Shape = Array<number | null>;

export interface SparseConv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: [number, number];
  strides?: [number, number];
  padding?: 'same' | 'valid';
  activation?: 'linear' | 'relu';
  useBias?: boolean;
  /** Inputs with a larger nonzero fraction run the dense convolution (default: the measured crossover). */
  maxDensity?: number;
}

export class SparseConv2D extends layers.Layer {
  static className = 'SparseConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly activation: 'linear' | 'relu';
  readonly useBias: boolean;
  readonly maxDensity: number;

  constructor(args: SparseConv2DArgs) {
    super(args);
    const activation = args.activation ?? 'linear';
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`SparseConv2D "${args.name}": activation must be 'linear' or 'relu', got ${String(activation)}`);
    const maxDensity = args.maxDensity ?? DEFAULT_MAX_DENSITY;
    if (!(maxDensity >= 0 && maxDensity <= 1)) throw new Error(`SparseConv2D "${args.name}": maxDensity must be in [0, 1], got ${String(maxDensity)}`);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? [1, 1];
    this.padding = args.padding ?? 'valid';
    this.activation = activation;
    this.useBias = args.useBias ?? true;
    this.maxDensity = maxDensity;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[3];
    if (channels == null) throw new Error(`SparseConv2D "${this.name}": the input's channel count must be known, got shape [${shape}]`);
    const zeros = initializers.zeros();
    this.addWeight('kernel', [...this.kernelSize, channels, this.filters], 'float32', zeros, undefined, false);
    if (this.useBias) this.addWeight('bias', [this.filters], 'float32', zeros, undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return convOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const [kernel, bias] = this.weights.map((w) => w.read());
    return sparseConv2d(x, kernel as tf.Tensor4D, this.useBias ? bias : undefined, {
      strides: this.strides,
      padding: this.padding,
      activation: this.activation,
      maxDensity: this.maxDensity,
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      activation: this.activation,
      useBias: this.useBias,
      maxDensity: this.maxDensity,
    };
  }
}

serialization.registerClass(SparseConv2D);
