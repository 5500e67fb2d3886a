import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  getQuantizer,
  listQuantizers,
  quantizerFactory,
  registerQuantizer,
  unregisterQuantizer,
  readOptions,
  positiveNumber,
  type Quantizer,
  type QuantizerConfig,
} from '@sketch-xnor/binary-ops';

const builtins = ['approx-sign', 'dorefa', 'magnitude-aware-sign', 'ste-sign', 'xnor-input'];

/** A scheme written the way a user would: a class with a static name and constructor(options). */
class ScaledSign implements Quantizer {
  static readonly quantizerName = 'test-scaled-sign';
  static readonly description = 'scale * sign(x)';
  readonly name: string = ScaledSign.quantizerName;
  readonly precision = 1;
  readonly scale: number;
  constructor(options: Record<string, unknown> = {}) {
    ({ scale: this.scale } = readOptions(options, { scale: positiveNumber(1) }));
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.mul(getQuantizer('ste-sign').apply(x), this.scale);
  }
  getConfig(): QuantizerConfig {
    return { name: this.name, scale: this.scale };
  }
}

const temporary = ['test-scaled-sign', 'test-from-factory', 'test-instance', 'test-named-by-instance', 'test-bad'];
afterEach(() => temporary.forEach(unregisterQuantizer));

describe('quantizer registry', () => {
  it('lists the built-in schemes', () => {
    expect(listQuantizers()).toEqual(expect.arrayContaining(builtins));
  });

  it('resolves a name, a { name, ...options } config and an instance alike', () => {
    const byName = getQuantizer('dorefa');
    expect(byName.getConfig()).toEqual({ name: 'dorefa', bits: 2, mode: 'activations' });
    const byConfig = getQuantizer({ name: 'dorefa', bits: 4, mode: 'weights' });
    expect(byConfig.getConfig()).toEqual({ name: 'dorefa', bits: 4, mode: 'weights' });
    expect(byConfig.precision).toBe(4);
    expect(getQuantizer(byConfig)).toBe(byConfig);
    // A config rebuilds an equal quantizer: what layers rely on to save and load by name.
    for (const name of builtins) {
      const q = getQuantizer(name);
      expect(getQuantizer(q.getConfig()).getConfig()).toEqual(q.getConfig());
      expect(q.name).toBe(name);
    }
  });

  it('an unknown scheme throws an error listing every registered name', () => {
    expect(() => getQuantizer('sgn')).toThrow(`Unknown quantizer "sgn". Known quantizers: ${listQuantizers().join(', ')}.`);
    expect(() => getQuantizer({ name: 'nope', bits: 2 })).toThrow(/Known quantizers: approx-sign, dorefa, magnitude-aware-sign/);
  });

  it('a malformed config throws an error naming the scheme and the option', () => {
    expect(() => getQuantizer({ name: 'dorefa', bits: 0 })).toThrow(
      'Invalid config for quantizer "dorefa": option "bits" must be an integer from 1 to 16, got 0',
    );
    expect(() => getQuantizer({ name: 'dorefa', mode: 'weight' })).toThrow(/option "mode" must be one of "activations", "weights", got "weight"/);
    expect(() => getQuantizer({ name: 'ste-sign', clipvalue: 2 })).toThrow(
      'Invalid config for quantizer "ste-sign": unknown option "clipvalue" (known options: clipValue)',
    );
    expect(() => getQuantizer({ name: 'ste-sign', clipValue: -1 })).toThrow(/"clipValue" must be a finite number > 0, got -1/);
    expect(() => getQuantizer({ name: 'magnitude-aware-sign', gradient: 'paper' })).toThrow(/"gradient" must be one of "ste", "xnor-net", "full", got "paper"/);
    expect(() => getQuantizer({ bits: 2 } as never)).toThrow(/Cannot resolve a quantizer .*"bits":2.*Known quantizers/);
    expect(() => getQuantizer(42 as never)).toThrow(/Cannot resolve a quantizer from number 42/);
  });

  it('registers a class: getQuantizer({ name, ...options }) builds a configured instance', () => {
    registerQuantizer(ScaledSign);
    expect(listQuantizers()).toContain('test-scaled-sign');
    expect(quantizerFactory('test-scaled-sign').description).toBe('scale * sign(x)');
    const q = getQuantizer({ name: 'test-scaled-sign', scale: 0.5 });
    expect(Array.from(q.apply(tf.tensor1d([-3, 0, 2])).dataSync())).toEqual([-0.5, 0.5, 0.5]);
    expect(() => getQuantizer({ name: 'test-scaled-sign', scale: 'big' })).toThrow(
      'Invalid config for quantizer "test-scaled-sign": option "scale" must be a finite number > 0, got "big"',
    );
  });

  it('registers a class without a static name, reading the name from a default instance', () => {
    class Named extends ScaledSign {
      override readonly name = 'test-named-by-instance';
      override getConfig(): QuantizerConfig {
        return { name: this.name, scale: this.scale };
      }
    }
    registerQuantizer(Object.assign(Named, { quantizerName: undefined }));
    expect(getQuantizer({ name: 'test-named-by-instance', scale: 2 })).toBeInstanceOf(Named);
  });

  it('registers a { name, create(options) } factory', () => {
    registerQuantizer({ name: 'test-from-factory', create: (options) => Object.assign(new ScaledSign(options), { name: 'test-from-factory', getConfig: () => ({ name: 'test-from-factory' }) }) });
    expect(getQuantizer('test-from-factory').name).toBe('test-from-factory');
  });

  it('registers a ready instance, which takes no other options', () => {
    const instance = Object.assign(new ScaledSign({ scale: 3 }), {
      name: 'test-instance',
      getConfig: () => ({ name: 'test-instance', scale: 3 }),
    });
    registerQuantizer(instance);
    expect(getQuantizer('test-instance')).toBe(instance);
    expect(getQuantizer({ name: 'test-instance', scale: 3 })).toBe(instance);
    expect(() => getQuantizer({ name: 'test-instance', scale: 4 })).toThrow(/registered as a ready instance and takes no other options/);
  });

  it('registering a name twice is an error unless asked to replace', () => {
    registerQuantizer(ScaledSign);
    expect(() => registerQuantizer(ScaledSign)).toThrow('A quantizer named "test-scaled-sign" is already registered; pass { replace: true } to replace it.');
    expect(() => registerQuantizer(ScaledSign, { replace: true })).not.toThrow();
    expect(() => registerQuantizer(getQuantizer('ste-sign'))).toThrow(/"ste-sign" is already registered/);
  });

  it('rejects definitions that are not quantizers, and factories that build something else', () => {
    expect(() => registerQuantizer({ name: 'test-bad' } as never)).toThrow(/needs a quantizer class, a \{ name, create\(options\) \} factory or a quantizer instance/);
    registerQuantizer({ name: 'test-bad', create: () => getQuantizer('ste-sign') });
    expect(() => getQuantizer('test-bad')).toThrow(/built a quantizer named "ste-sign".*registered name "test-bad"/);
    registerQuantizer({ name: 'test-bad', create: () => ({ name: 'test-bad' }) as never }, { replace: true });
    expect(() => getQuantizer('test-bad')).toThrow(/not a quantizer/);
  });
});
