// PackedConv2D: the inference form of a binarized convolution, as stored in a packed bundle. Its kernel is sign
// bits (one int32 word per 32 input channels of a pixel) plus one float scale per filter, so it weighs ~1/32 of
// the float layer. In 'xnor' mode the input is binarized too (optionally through a folded BatchNorm) and the layer
// runs the XNOR-popcount kernel; in 'bwn' mode the input stays float and the +-1 kernel is unpacked once.
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers, initializers } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import { xnorConv2d } from '../kernels/xnor_conv2d_op.js';
import { convOutputShape } from './conv-shape.js';

type Shape = Array<number | null>;

export interface PackedConv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: [number, number];
  inChannels: number;
  strides?: [number, number];
  padding?: 'same' | 'valid';
  /** The value binarized inputs are padded with (xnor mode). */
  padValue?: 1 | -1;
  mode: 'xnor' | 'bwn';
  useBias?: boolean;
  /** Whether a BatchNorm before the sign is folded into per-channel thresholds (xnor mode). */
  foldedBatchNorm?: boolean;
}

/** int32 words per filter: kh*kw pixels of ceil(in/32) words, padded to whole 128-bit groups. */
export function packedWordsPerFilter(kh: number, kw: number, inChannels: number): number {
  return Math.max(1, Math.ceil((kh * kw * Math.ceil(inChannels / 32)) / 4)) * 4;
}

export class PackedConv2D extends layers.Layer {
  static className = 'PackedConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly inChannels: number;
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly padValue: 1 | -1;
  readonly mode: 'xnor' | 'bwn';
  readonly useBias: boolean;
  readonly foldedBatchNorm: boolean;
  private unpacked?: { source: tf.Tensor; kernel: tf.Tensor4D };

  constructor(args: PackedConv2DArgs) {
    super(args);
    if (args.mode !== 'xnor' && args.mode !== 'bwn') throw new Error(`PackedConv2D: mode must be 'xnor' or 'bwn', got ${String(args.mode)}`);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.inChannels = args.inChannels;
    this.strides = args.strides ?? [1, 1];
    this.padding = args.padding ?? 'valid';
    this.padValue = args.padValue ?? 1;
    this.mode = args.mode;
    this.useBias = args.useBias ?? true;
    this.foldedBatchNorm = args.foldedBatchNorm ?? false;
  }

  override build(): void {
    const [kh, kw] = this.kernelSize;
    const zeros = initializers.zeros();
    this.addWeight('kernel_bits', [this.filters, packedWordsPerFilter(kh, kw, this.inChannels)], 'int32', zeros, undefined, false);
    this.addWeight('alpha', [this.filters], 'float32', zeros, undefined, false);
    if (this.useBias) this.addWeight('bias', [this.filters], 'float32', zeros, undefined, false);
    if (this.foldedBatchNorm) {
      this.addWeight('threshold', [this.inChannels], 'float32', zeros, undefined, false);
      this.addWeight('negate', [this.inChannels], 'int32', zeros, undefined, false);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return convOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const byName = (name: string) => this.weights.find((w) => w.originalName.endsWith(`/${name}`))?.read();
    const kernelBits = byName('kernel_bits')!;
    const alpha = byName('alpha')!;
    const bias = this.useBias ? byName('bias') : undefined;
    if (this.mode === 'xnor') {
      const [kh, kw] = this.kernelSize;
      return xnorConv2d(
        x,
        { kernelBits, alpha, bias, threshold: byName('threshold'), negate: byName('negate') },
        { kh, kw, inChannels: this.inChannels, strides: this.strides, padding: this.padding, padValue: this.padValue },
      );
    }
    return tf.tidy(() => {
      const y = tf.mul(tf.conv2d(x, this.signKernel(kernelBits), this.strides, this.padding), alpha);
      return bias ? tf.add(y, bias) : y;
    });
  }

  /** The +-1 float kernel [kh, kw, in, out], unpacked once per weight value. */
  private signKernel(kernelBits: tf.Tensor): tf.Tensor4D {
    if (this.unpacked?.source === kernelBits) return this.unpacked.kernel;
    this.unpacked?.kernel.dispose();
    const [kh, kw] = this.kernelSize;
    const c = this.inChannels;
    const o = this.filters;
    const words = new Uint32Array(Int32Array.from(kernelBits.dataSync() as Int32Array).buffer);
    const stride = words.length / o;
    const wpp = Math.ceil(c / 32);
    const values = new Float32Array(kh * kw * c * o);
    for (let p = 0; p < kh * kw; p++)
      for (let ci = 0; ci < c; ci++)
        for (let f = 0; f < o; f++) {
          const bit = (words[f * stride + p * wpp + (ci >>> 5)] >>> (ci & 31)) & 1;
          values[(p * c + ci) * o + f] = bit ? -1 : 1;
        }
    const kernel = tf.keep(tf.tensor4d(values, [kh, kw, c, o]));
    this.unpacked = { source: kernelBits, kernel };
    return kernel;
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      inChannels: this.inChannels,
      strides: this.strides,
      padding: this.padding,
      padValue: this.padValue,
      mode: this.mode,
      useBias: this.useBias,
      foldedBatchNorm: this.foldedBatchNorm,
    };
  }
}

serialization.registerClass(PackedConv2D);
