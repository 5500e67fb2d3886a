// The quantizer plugin: what a binarization scheme is, and the one registry that resolves a scheme from a
// name, a `{ name, ...options }` config or an instance (the same three forms as larq's quantizer aliases).
import type * as tf from '@tensorflow/tfjs-core';
import { createRegistry, RegistryError, type PluginFactory, type RegisterOptions } from '@sketch-xnor/registry';
import { describeValue } from './options.js';
import { builtinQuantizers } from './quantizers/builtin.js';

/** A serializable description of a quantizer: its registered name plus its options. */
export type QuantizerConfig = { name: string } & Record<string, unknown>;

/** A binarization (or k-bit quantization) scheme. */
export interface Quantizer {
  /** The registered name, e.g. "ste-sign"; `getConfig().name` must equal it. */
  readonly name: string;
  /** Bits per quantized value (1 for binarizers, k for k-bit schemes). */
  readonly precision: number;
  /** The forward quantization with its custom (surrogate) gradient. */
  apply(x: tf.Tensor): tf.Tensor;
  /** Everything needed to rebuild this quantizer with `getQuantizer(config)`. */
  getConfig(): QuantizerConfig;
}

/** Anything `getQuantizer` resolves: a name, a `{ name, ...options }` config, or a ready instance. */
export type QuantizerSpec = string | QuantizerConfig | Quantizer;

/** A quantizer class: `new Scheme(options)` builds a configured instance. */
export interface QuantizerClass {
  new (options?: Record<string, unknown>): Quantizer;
  /** The name to register it under; when absent it is read from `new Scheme().name`. */
  readonly quantizerName?: string;
  /** One line for listings and error messages. */
  readonly description?: string;
}

/** What `registerQuantizer` takes: a class, a `{ name, create(options) }` factory, or a ready instance. */
export type QuantizerDefinition = QuantizerClass | PluginFactory<Quantizer> | Quantizer;

export function isQuantizer(value: unknown): value is Quantizer {
  if (value === null || typeof value !== 'object') return false;
  const q = value as Partial<Quantizer>;
  return typeof q.name === 'string' && typeof q.apply === 'function' && typeof q.getConfig === 'function';
}

const registry = createRegistry<Quantizer>('quantizer', isQuantizer);

/**
 * Registers a scheme under its name. Registering a name twice is an error unless `{ replace: true }`.
 * - a class `Scheme` with `constructor(options)` (and `static quantizerName`, or a `name` on its instances);
 * - a factory `{ name, description?, create(options) }`;
 * - a ready instance (it then accepts no options other than its own config).
 */
export function registerQuantizer(definition: QuantizerDefinition, options?: RegisterOptions): void {
  registry.register(checkedFactory(toFactory(definition)), options);
}

/** Resolves `'ste-sign'`, `{ name: 'dorefa', bits: 2 }` or an instance to a quantizer instance. */
export function getQuantizer(spec: QuantizerSpec): Quantizer {
  return registry.get(spec);
}

/** Registered scheme names, sorted. */
export function listQuantizers(): string[] {
  return registry.list();
}

/** Removes a registered scheme (e.g. a test's temporary one); returns whether it was there. */
export function unregisterQuantizer(name: string): boolean {
  return registry.unregister(name);
}

/** The registered factory of a scheme, e.g. for its description. */
export function quantizerFactory(name: string): PluginFactory<Quantizer> {
  return registry.factory(name);
}

function toFactory(definition: QuantizerDefinition): PluginFactory<Quantizer> {
  if (typeof definition === 'function') return classFactory(definition);
  if (isQuantizer(definition)) return instanceFactory(definition);
  if (definition && typeof definition === 'object' && typeof (definition as PluginFactory<Quantizer>).create === 'function') {
    return definition as PluginFactory<Quantizer>;
  }
  throw new RegistryError(
    `registerQuantizer needs a quantizer class, a { name, create(options) } factory or a quantizer instance ` +
      `({ name, precision, apply(x), getConfig() }); got ${describeValue(definition)}.`,
  );
}

function classFactory(Scheme: QuantizerClass): PluginFactory<Quantizer> {
  let name = Scheme.quantizerName;
  if (name === undefined) {
    try {
      name = new Scheme({}).name;
    } catch (err) {
      throw new RegistryError(
        `Cannot tell the name of quantizer class ${Scheme.name}: give it a static quantizerName, ` +
          `or let its constructor accept {} (it threw: ${err instanceof Error ? err.message : String(err)}).`,
        { cause: err },
      );
    }
  }
  return { name, description: Scheme.description, create: (options) => new Scheme(options) };
}

function instanceFactory(instance: Quantizer): PluginFactory<Quantizer> {
  return {
    name: instance.name,
    create(options) {
      if (Object.keys(options).length === 0 || sameOptions(options, instance.getConfig())) return instance;
      throw new Error(
        `it was registered as a ready instance and takes no other options (got ${describeValue(options)}); ` +
          `register its class or a { name, create(options) } factory to build configured copies`,
      );
    },
  };
}

/** Makes sure what a factory builds is a quantizer of the registered name, so it saves and loads by name. */
function checkedFactory(factory: PluginFactory<Quantizer>): PluginFactory<Quantizer> {
  return {
    name: factory.name,
    description: factory.description,
    create(options) {
      const built = factory.create(options);
      if (!isQuantizer(built)) {
        throw new Error(`its factory returned ${describeValue(built)}, not a quantizer ({ name, precision, apply(x), getConfig() })`);
      }
      if (built.name !== factory.name || built.getConfig().name !== factory.name) {
        throw new Error(
          `it built a quantizer named "${built.name}" (config name "${built.getConfig().name}"), ` +
            `but both must equal the registered name "${factory.name}" for save/load by name`,
        );
      }
      if (!(Number.isInteger(built.precision) && built.precision > 0)) {
        throw new Error(`its precision must be a positive integer number of bits, got ${describeValue(built.precision)}`);
      }
      return built;
    },
  };
}

function sameOptions(options: Record<string, unknown>, config: QuantizerConfig): boolean {
  const { name: _name, ...own } = config;
  const keys = new Set([...Object.keys(options), ...Object.keys(own)]);
  return [...keys].every((key) => JSON.stringify(options[key]) === JSON.stringify(own[key]));
}

for (const Scheme of builtinQuantizers) registerQuantizer(Scheme);
