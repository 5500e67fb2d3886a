// Adam (Kingma & Ba) whose state the trainer owns: the moments and the step count are plain variables that a
// checkpoint can write and read back exactly, and the learning rate is an argument of every update.
import * as tf from '@tensorflow/tfjs-core';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 weight decay added to the gradient of every weight of rank >= 2 (kernels; biases and BatchNorm are exempt). Default 0. */
  weightDecay?: number;
  /** Rescale all gradients together when their global L2 norm exceeds this. Default: no clipping. */
  clipGradientNorm?: number;
}

/** What a checkpoint stores of the optimizer, besides the moment tensors. */
export interface AdamState {
  name: 'adam';
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Updates applied so far (the `t` of the bias correction). */
  updates: number;
}

export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly clipGradientNorm: number | undefined;
  private firstMoments: tf.Variable[] = [];
  private secondMoments: tf.Variable[] = [];
  private updates = 0;

  constructor(options: AdamOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.weightDecay = options.weightDecay ?? 0;
    this.clipGradientNorm = options.clipGradientNorm;
    for (const [key, value, ok] of [
      ['beta1', this.beta1, this.beta1 >= 0 && this.beta1 < 1],
      ['beta2', this.beta2, this.beta2 >= 0 && this.beta2 < 1],
      ['epsilon', this.epsilon, this.epsilon > 0],
      ['weightDecay', this.weightDecay, this.weightDecay >= 0],
      ['clipGradientNorm', this.clipGradientNorm, this.clipGradientNorm === undefined || this.clipGradientNorm > 0],
    ] as const) {
      if (!ok) throw new Error(`Adam: ${key} is out of range: ${value}`);
    }
  }

  get updateCount(): number {
    return this.updates;
  }

  /**
   * One update of `weights` from `gradients` (same order) at `learningRate`. A weight whose gradient is
   * `undefined` (not connected to the loss) is left alone, moments included, as tf.train optimizers do.
   * Resolves to the global gradient norm before clipping (after weight decay is added). Asynchronous because the
   * norm is read back from the backend, and backends such as webgpu in Node can only read back asynchronously.
   */
  async apply(weights: readonly tf.Variable[], gradients: readonly (tf.Tensor | undefined)[], learningRate: number): Promise<number> {
    if (weights.length !== gradients.length) throw new Error(`Adam: ${weights.length} weights but ${gradients.length} gradients`);
    this.ensureMoments(weights);
    const t = this.updates + 1;
    // Bias corrections in float64 on the host, folded into one step size as in the paper's efficient form.
    const stepSize = (learningRate * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    if (gradients.every((g) => g === undefined)) throw new Error('Adam: no weight has a gradient (is the loss connected to the model?)');
    const decayed = tf.tidy(() =>
      gradients.map((g, i) => (g !== undefined && this.weightDecay > 0 && weights[i]!.rank >= 2 ? tf.add(g, tf.mul(weights[i]!, this.weightDecay)) : g)),
    );
    const present = decayed.filter((g): g is tf.Tensor => g !== undefined);
    const normTensor = tf.tidy(() => tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g))))));
    const globalNorm = (await normTensor.data())[0]!;
    normTensor.dispose();
    tf.tidy(() => {
      const scale = this.clipGradientNorm !== undefined && globalNorm > this.clipGradientNorm ? this.clipGradientNorm / globalNorm : 1;
      decayed.forEach((raw, i) => {
        if (raw === undefined) return;
        const g = scale === 1 ? raw : tf.mul(raw, scale);
        const m = this.firstMoments[i]!;
        const v = this.secondMoments[i]!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        weights[i]!.assign(tf.sub(weights[i]!, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.epsilon)), stepSize)));
      });
    });
    // the weight-decayed gradients are new tensors; the caller's gradients stay the caller's
    decayed.forEach((g, i) => g !== undefined && g !== gradients[i] && g.dispose());
    this.updates = t;
    return globalNorm;
  }

  getState(): AdamState {
    return { name: 'adam', beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, updates: this.updates };
  }

  /** The moment tensors (first moments, then second moments), for checkpoints. Empty before the first update. */
  getMoments(): { first: readonly tf.Variable[]; second: readonly tf.Variable[] } {
    return { first: this.firstMoments, second: this.secondMoments };
  }

  /** Restores the update count and moments (`first[i]`, `second[i]` belong to `weights[i]`). */
  setState(state: AdamState, weights: readonly tf.Variable[], first: readonly tf.Tensor[], second: readonly tf.Tensor[]): void {
    if (state.beta1 !== this.beta1 || state.beta2 !== this.beta2 || state.epsilon !== this.epsilon) {
      throw new Error(
        `Adam: the saved state has beta1=${state.beta1}, beta2=${state.beta2}, epsilon=${state.epsilon}; ` +
          `this optimizer has ${this.beta1}, ${this.beta2}, ${this.epsilon}`,
      );
    }
    this.ensureMoments(weights);
    if (first.length !== weights.length || second.length !== weights.length) {
      throw new Error(`Adam: the saved state has ${first.length} moments for ${weights.length} weights`);
    }
    weights.forEach((w, i) => {
      this.firstMoments[i]!.assign(first[i]!);
      this.secondMoments[i]!.assign(second[i]!);
    });
    this.updates = state.updates;
  }

  dispose(): void {
    for (const v of [...this.firstMoments, ...this.secondMoments]) v.dispose();
    this.firstMoments = [];
    this.secondMoments = [];
  }

  private ensureMoments(weights: readonly tf.Variable[]): void {
    if (this.firstMoments.length === weights.length) return;
    if (this.firstMoments.length !== 0) throw new Error(`Adam: created for ${this.firstMoments.length} weights, now given ${weights.length}`);
    const zeros = (w: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(w), false));
    this.firstMoments = weights.map(zeros);
    this.secondMoments = weights.map(zeros);
  }
}
