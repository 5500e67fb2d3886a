import { describe, expect, it } from 'vitest';
import { createRegistry, type Plugin, type PluginConfig } from '@sketch-xnor/registry';

class Scale implements Plugin {
  readonly name = 'scale';
  constructor(readonly factor: number) {}
  getConfig(): PluginConfig {
    return { name: this.name, factor: this.factor };
  }
}
const isScale = (v: unknown): v is Scale => v instanceof Scale;

function makeRegistry() {
  const r = createRegistry<Scale>('scaler', isScale);
  r.register({
    name: 'scale',
    create: ({ factor = 1, ...rest }) => {
      if (Object.keys(rest).length) throw new Error(`unknown option(s) ${Object.keys(rest).join(', ')}`);
      if (typeof factor !== 'number' || !Number.isFinite(factor)) throw new Error(`factor must be a finite number, got ${JSON.stringify(factor)}`);
      return new Scale(factor);
    },
  });
  return r;
}

describe('createRegistry', () => {
  it('resolves a string, a config object and an instance alike', () => {
    const r = makeRegistry();
    expect(r.get('scale').factor).toBe(1);
    expect(r.get({ name: 'scale', factor: 3 }).factor).toBe(3);
    const s = new Scale(7);
    expect(r.get(s)).toBe(s);
    // A config round-trips to an equal instance.
    expect(r.get(r.get({ name: 'scale', factor: 2 }).getConfig()).factor).toBe(2);
  });

  it('names every known entry when a name is unknown', () => {
    const r = makeRegistry();
    r.register({ name: 'other', create: () => new Scale(0) });
    expect(() => r.get('nope')).toThrow(/Unknown scaler "nope"\. Known scalers: other, scale\./);
    expect(r.list()).toEqual(['other', 'scale']);
  });

  it('refuses a second registration of a name unless asked to replace', () => {
    const r = makeRegistry();
    expect(() => r.register({ name: 'scale', create: () => new Scale(5) })).toThrow(/already registered/);
    r.register({ name: 'scale', create: () => new Scale(5) }, { replace: true });
    expect(r.get('scale').factor).toBe(5);
  });

  it('wraps a malformed config in an error naming the entry', () => {
    const r = makeRegistry();
    expect(() => r.get({ name: 'scale', factor: 'big' })).toThrow(/Invalid config for scaler "scale": factor must be a finite number/);
    expect(() => r.get({ name: 'scale', fcator: 2 })).toThrow(/unknown option\(s\) fcator/);
    expect(() => r.get(42 as never)).toThrow(/Cannot resolve a scaler from number 42/);
    expect(() => r.register({ name: '', create: () => new Scale(1) })).toThrow(/non-empty string name/);
  });
});
