// Before TF.js builds a model from model.json's topology (allocating and initializing every weight), the settings
// that size weights are checked against the weights model.json lists, whose bytes are already checked against the
// files: a hostile `filters: 1e9` or an input of a million channels is refused instead of exhausting memory.
import { MAX_CHANNELS, MAX_INPUT_SIZE } from './validate.js';

/** Most layers a model may have (Sketch-A-Net has about 25, nested models count their own). */
export const MAX_LAYERS = 10_000;

interface LayerJson {
  class_name?: unknown;
  config?: Record<string, unknown> & { layers?: unknown; name?: unknown };
}

type Fail = (why: string) => never;

/** Every layer config of a (possibly nested) Sequential or functional topology. */
function layersOf(topology: unknown, fail: Fail, depth = 0): LayerJson[] {
  if (depth > 8) fail('models nested more than 8 deep');
  const config = (topology as LayerJson)?.config as unknown;
  const list = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(list)) return [];
  return list.flatMap((layer: LayerJson) => (Array.isArray((layer?.config as { layers?: unknown })?.layers) ? [layer, ...layersOf(layer, fail, depth + 1)] : [layer]));
}

const sameNumbers = (a: readonly number[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Refuses layer settings that disagree with the listed weights, or an input beyond the limits. */
export function checkTopologyAgainstWeights(topology: unknown, weights: ReadonlyArray<{ name: string; shape: number[] }>, fail: Fail): void {
  const shapes = new Map(weights.map((w) => [w.name, w.shape]));
  const layers = layersOf(topology, fail);
  if (layers.length > MAX_LAYERS) fail(`has ${layers.length} layers, more than ${MAX_LAYERS}`);
  for (const layer of layers) {
    const config = layer?.config;
    if (!config || typeof config !== 'object') continue;
    const name = String(config.name);
    const where = `layer "${name}" (${String(layer.class_name)})`;
    const input = config['batch_input_shape'];
    if (Array.isArray(input)) {
      const dims = input.slice(1);
      const spatial = dims.slice(0, -1);
      if (!dims.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))) fail(`${where}: input shape [${input.join(', ')}] is not a shape`);
      if (spatial.some((d) => (d as number) > MAX_INPUT_SIZE) || (dims.at(-1) as number) > MAX_CHANNELS) {
        fail(`${where}: input shape [${input.join(', ')}] is beyond ${MAX_INPUT_SIZE} px or ${MAX_CHANNELS} channels`);
      }
    }
    const key = 'filters' in config ? 'filters' : 'units' in config ? 'units' : undefined;
    if (!key) continue;
    const size = config[key];
    const packed = layer.class_name === 'PackedConv2D';
    const kernel = shapes.get(`${name}/${packed ? 'kernel_bits' : 'kernel'}`);
    if (!kernel) fail(`${where} has ${key} ${JSON.stringify(size)} but model.json lists no weights for it`);
    const out = packed ? kernel![0] : kernel!.at(-1);
    if (size !== out) fail(`${where}: ${key} ${JSON.stringify(size)}, but its kernel in the weights is [${kernel!.join(', ')}]`);
    const kernelSize = config['kernel_size'];
    if (Array.isArray(kernelSize) && !packed && !sameNumbers(kernel!.slice(0, kernelSize.length), kernelSize)) {
      fail(`${where}: kernel_size [${kernelSize.join(', ')}], but its kernel in the weights is [${kernel!.join(', ')}]`);
    }
  }
}
