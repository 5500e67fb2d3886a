// `--plugin <package-or-path>`: a module that registers schemes (or models, datasets...) before a command runs.
// A plugin exports `register()`; the CLI imports it and calls it. Paths are resolved from the working directory.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, describeError } from './errors.js';

const loaded: string[] = [];

/** The plugins loaded in this process, paths made absolute (as a run's config.json records them). */
export function loadedPlugins(): readonly string[] {
  return loaded;
}

export async function loadPlugins(specs: readonly string[]): Promise<void> {
  for (const spec of specs) {
    const isPath = spec.startsWith('.') || isAbsolute(spec);
    const target = isPath ? pathToFileURL(resolve(spec)).href : spec;
    let plugin: { register?: unknown };
    try {
      plugin = (await import(target)) as { register?: unknown };
    } catch (err) {
      throw new CliError(`--plugin ${spec}: cannot load it (${describeError(err)})`, undefined, { cause: err });
    }
    if (typeof plugin.register !== 'function') throw new CliError(`--plugin ${spec}: the module exports no register() function`);
    try {
      await (plugin.register as () => unknown)();
    } catch (err) {
      throw new CliError(`--plugin ${spec}: register() failed (${describeError(err)})`, undefined, { cause: err });
    }
    loaded.push(isPath ? resolve(spec) : spec);
  }
}
