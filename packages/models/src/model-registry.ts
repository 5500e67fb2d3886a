// The model zoo as a registry in the project's one plugin shape: a network is registered under a name, and
// `buildModel(name, options)` (or a `{ name, ...options }` config) builds a fresh tfjs-layers model.
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRegistry, type PluginFactory, type PluginConfig, type RegisterOptions } from '@sketch-xnor/registry';
import { zoo } from './zoo/index.js';

/** A network definition configured with its options; `build()` makes a new model each call. */
export interface ModelSpec {
  readonly name: string;
  readonly options: Record<string, unknown>;
  build(): tfl.LayersModel;
  getConfig(): PluginConfig;
}

const isModelSpec = (value: unknown): value is ModelSpec =>
  typeof value === 'object' && value !== null && typeof (value as ModelSpec).build === 'function' && typeof (value as ModelSpec).getConfig === 'function';

const registry = createRegistry<ModelSpec>('model', isModelSpec);
for (const network of zoo) registry.register(network);

/** Registers a network: `{ name, description, create(options) => ModelSpec }`. */
export function registerModel(factory: PluginFactory<ModelSpec>, options?: RegisterOptions): void {
  registry.register(factory, options);
}

/** Registered network names, sorted. */
export function listModels(): string[] {
  return registry.list();
}

/** The configured network for a name (plus options), a `{ name, ...options }` config, or a spec. */
export function getModelSpec(spec: string | PluginConfig | ModelSpec, options: Record<string, unknown> = {}): ModelSpec {
  if (typeof spec === 'string') return registry.get({ name: spec, ...options });
  return registry.get(spec);
}

/** Builds a model of the zoo: `buildModel('sketch-a-net-bwn', { classes: 20, inputSize: 128 })`. */
export function buildModel(name: string | PluginConfig, options: Record<string, unknown> = {}): tfl.LayersModel {
  return getModelSpec(name, options).build();
}

/** One line per registered network, for help texts. */
export function describeModels(): Array<{ name: string; description: string }> {
  return registry.list().map((name) => ({ name, description: registry.factory(name).description ?? '' }));
}
