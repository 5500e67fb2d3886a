// One plugin shape for everything pluggable (backends, quantizers, models, datasets, augmentations):
// register a factory under a name, then resolve a string alias, a `{ name, ...config }` object or a
// ready instance alike (compare larq's quantizer aliases and tfjs-core's kernel registry).

/** Anything a registry hands out: a named object that can describe itself for save/load. */
export interface Plugin {
  readonly name: string;
  getConfig(): PluginConfig;
}

/** A serializable description of a plugin: its registered name plus its options. */
export type PluginConfig = { name: string } & Record<string, unknown>;

/** How a registry builds a plugin from options. */
export interface PluginFactory<T extends Plugin> {
  readonly name: string;
  /** One line for listings and error messages. */
  readonly description?: string;
  /** Builds an instance; throws a clear error on a malformed config. */
  create(options: Record<string, unknown>): T;
}

/** A string alias, a `{ name, ...options }` object, or an instance. */
export type PluginSpec<T extends Plugin> = string | PluginConfig | T;

export interface RegisterOptions {
  /** Replace an entry of the same name instead of failing. */
  replace?: boolean;
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

export interface Registry<T extends Plugin> {
  /** What the registry holds, e.g. "quantizer"; used in error messages. */
  readonly kind: string;
  register(factory: PluginFactory<T>, options?: RegisterOptions): void;
  unregister(name: string): boolean;
  /** Resolves a spec to an instance; instances pass through unchanged. */
  get(spec: PluginSpec<T>): T;
  has(name: string): boolean;
  /** Registered names, sorted. */
  list(): string[];
  factory(name: string): PluginFactory<T>;
}

/**
 * Makes a registry. `isInstance` tells a ready plugin from a config object, since both carry a name.
 */
export function createRegistry<T extends Plugin>(
  kind: string,
  isInstance: (value: unknown) => value is T,
): Registry<T> {
  const factories = new Map<string, PluginFactory<T>>();

  const known = (): string => {
    const names = [...factories.keys()].sort();
    return names.length ? names.join(', ') : '(none registered)';
  };

  const factory = (name: string): PluginFactory<T> => {
    const found = factories.get(name);
    if (!found) throw new RegistryError(`Unknown ${kind} "${name}". Known ${kind}s: ${known()}.`);
    return found;
  };

  const build = (name: string, options: Record<string, unknown>): T => {
    const f = factory(name);
    try {
      return f.create(options);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new RegistryError(`Invalid config for ${kind} "${name}": ${why}`, { cause: err });
    }
  };

  return {
    kind,
    register(f, options = {}) {
      if (!f || typeof f.name !== 'string' || f.name.length === 0) {
        throw new RegistryError(`A ${kind} needs a non-empty string name to be registered.`);
      }
      if (typeof f.create !== 'function') {
        throw new RegistryError(`The ${kind} "${f.name}" has no create(options) function.`);
      }
      if (factories.has(f.name) && !options.replace) {
        throw new RegistryError(
          `A ${kind} named "${f.name}" is already registered; pass { replace: true } to replace it.`,
        );
      }
      factories.set(f.name, f);
    },
    unregister: (name) => factories.delete(name),
    get(spec) {
      if (typeof spec === 'string') return build(spec, {});
      if (isInstance(spec)) return spec;
      if (spec !== null && typeof spec === 'object' && typeof (spec as PluginConfig).name === 'string') {
        const { name, ...options } = spec as PluginConfig;
        return build(name, options);
      }
      throw new RegistryError(
        `Cannot resolve a ${kind} from ${describe(spec)}: pass a name, a { name, ...options } object or an instance. ` +
          `Known ${kind}s: ${known()}.`,
      );
    },
    has: (name) => factories.has(name),
    list: () => [...factories.keys()].sort(),
    factory,
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object without a string "name" (${JSON.stringify(value)})`;
  return `${typeof value} ${String(value)}`;
}
