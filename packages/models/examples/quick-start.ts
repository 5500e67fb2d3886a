import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@sketch-xnor/backends';
import { bundleFromDirectory, buildModel, exportRun, initFromRun, listModels, loadBundle, loadRun, saveRun } from '@sketch-xnor/models';

export async function quickStart(dir: string) {
  await useBackend('wasm');
  console.log(listModels()); // ['sketch-a-net', 'sketch-a-net-bwn', 'sketch-a-net-xnor']

  // A half-width Sketch-A-Net for 3 classes at 128x128 (625,411 parameters), initialized from seed 1.
  const options = { classes: 3, inputSize: 128, width: 0.5, seed: 1 };
  const vanilla = buildModel('sketch-a-net', options);
  // ... train it with @sketch-xnor/trainer, then keep it as a run folder: model.json, weights.bin, run.json
  await saveRun(`${dir}/vanilla`, vanilla, { model: 'sketch-a-net', options, classes: ['cat', 'house', 'tree'] });

  // The study's recipe: start the XNOR network from the vanilla weights, by layer name.
  const xnor = buildModel('sketch-a-net-xnor', options);
  const report = await initFromRun(xnor, `${dir}/vanilla`);
  console.log(report.copied); // ['conv1', 'conv2', ..., 'fc8']
  console.log(report.skipped.map((s) => s.layer)); // ['bn_conv2', ..., 'bn_fc8']: XNOR's own BatchNorms

  // Load a run back (a folder in Node, or an http(s) URL); the model outputs logits.
  const { model, info } = await loadRun(`${dir}/vanilla`);
  const logits = model.predict(tf.zeros([1, 128, 128, 1])) as tf.Tensor2D;
  const probabilities = tf.softmax(logits);
  console.log(info.classes, await probabilities.data());

  // TF.js's own file:// and http(s):// URLs work too.
  await xnor.save(`file://${dir}/xnor`);

  // ... train xnor, save it as a run, then pack it for inference: sign bits plus one scale per filter.
  await saveRun(`${dir}/xnor-run`, xnor, { model: 'sketch-a-net-xnor', options, classes: info.classes });
  const { floatBytes, bundleBytes } = await exportRun(`${dir}/xnor-run`, `${dir}/xnor-bundle`);
  console.log(`bundle ${(floatBytes / bundleBytes).toFixed(1)}x smaller than the float model`);
  const { model: packed } = await loadBundle(bundleFromDirectory(`${dir}/xnor-bundle`));
  const packedLogits = packed.predict(tf.zeros([1, 128, 128, 1])) as tf.Tensor2D;
  return { report, info, probabilities: Array.from(await probabilities.data()), ratio: floatBytes / bundleBytes, packedShape: packedLogits.shape };
}
