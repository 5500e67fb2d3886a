// Ensembles: several runs or bundles (`--run a --run b ...` of eval and predict) as one model whose output is the
// log of the members' softmax probabilities averaged. Its softmax is that mean, so eval's 10-view sum and predict's
// view mean are over the mean probabilities: an ensemble of one model with itself scores exactly as the model.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from './errors.js';
import { loadPredictor, type Predictor } from './predictor.js';

/** How the members' scores combine, for help texts and reports. */
export const ENSEMBLE_RULE = 'mean of the softmax probabilities';

/** Stands in for log(0) where a member's probabilities underflow (finite, so the softmax after it stays defined). */
const MIN_PROBABILITY = 1e-37;

export interface Member extends Predictor {
  /** The run folder or bundle, as given. */
  path: string;
}

export interface Ensemble extends Predictor {
  members: Member[];
}

/** log(mean_m softmax(logits_m(x))): not trainable and never saved (its members are what is stored). */
class MeanProbabilities extends tfl.layers.Layer {
  static readonly className = 'SketchXnorMeanProbabilities';

  constructor(
    private readonly members: readonly tfl.LayersModel[],
    private readonly classes: number,
  ) {
    super({ name: 'ensemble_mean_probabilities', trainable: false });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [shape[0] ?? null, this.classes];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      const probabilities = this.members.map((m) => tf.softmax(tf.reshape(m.apply(x, { training: false }) as tf.Tensor, [-1, this.classes])));
      return tf.log(tf.maximum(tf.div(tf.addN(probabilities), probabilities.length), MIN_PROBABILITY));
    });
  }
}

/** Checks that every member classifies into the same classes in the same order from the same input preprocessing. */
export function checkMembers(members: readonly Member[]): void {
  const [first, ...rest] = members;
  for (const member of rest) {
    const differs = (what: string, a: unknown, b: unknown) =>
      new CliError(`--run ${member.path} cannot join an ensemble with --run ${first!.path}: ${what} differ (${JSON.stringify(b)} vs ${JSON.stringify(a)}); every member must have the same classes in the same order and the same input preprocessing`);
    if (member.categories.join('\n') !== first!.categories.join('\n')) throw differs('the classes (in label order)', first!.categories, member.categories);
    const { renderSize, cropSize, channels } = member.sample;
    const want = first!.sample;
    if (renderSize !== want.renderSize || cropSize !== want.cropSize || channels !== want.channels) {
      throw differs('the input preprocessing (renderSize, cropSize, channels)', [want.renderSize, want.cropSize, want.channels], [renderSize, cropSize, channels]);
    }
  }
}

/** One predictor for one or more run folders and bundles: a single one as it is, several as their ensemble. */
export async function loadEnsemble(paths: readonly string[]): Promise<Ensemble> {
  const members: Member[] = [];
  for (const path of paths) members.push({ ...(await loadPredictor(path)), path });
  checkMembers(members);
  const [first] = members;
  if (members.length === 1) return { ...first!, members };
  const { cropSize, channels } = first!.sample;
  const input = tfl.input({ shape: [cropSize, cropSize, channels], name: 'sketch' });
  const output = new MeanProbabilities(
    members.map((m) => m.model),
    first!.categories.length,
  ).apply(input) as tfl.SymbolicTensor;
  return { ...first!, config: undefined, model: tfl.model({ inputs: input, outputs: output, name: 'ensemble' }), members };
}
