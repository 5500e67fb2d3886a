// tfjs-layers ignores weight constraints during training, so latent-weight clipping of binary nets
// (BinaryConnect keeps the float weights in [-1, 1]) is applied by the trainer after each optimizer step.
import { hasLatentClipping } from './quantized-layer.js';

/** The parts of a tf.LayersModel this needs (also matches nested models inside a model). */
interface LayerTree {
  readonly layers: readonly unknown[];
}

/** Applies every layer's latent clipping (`kernelClip`), nested models included. Call after each optimizer step. */
export function clipLatentWeights(model: LayerTree): void {
  for (const layer of model.layers) {
    if (hasLatentClipping(layer)) layer.clipLatentWeights();
    if (Array.isArray((layer as Partial<LayerTree> | null)?.layers)) clipLatentWeights(layer as LayerTree);
  }
}
