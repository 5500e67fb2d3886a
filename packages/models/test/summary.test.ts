import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@sketch-xnor/backends';
import { packModel } from '@sketch-xnor/binary-ops';
import { buildModel, formatSummary, summary } from '@sketch-xnor/models';

beforeAll(async () => {
  await useBackend('cpu');
});

// Sketch-A-Net at 225 px: each conv's output side, kernel side, inputs and filters (the paper's layer table)
const CONVS = {
  conv1: [71, 15, 1, 64], conv2: [31, 5, 64, 128], conv3: [15, 3, 128, 256], conv4: [15, 3, 256, 256],
  conv5: [15, 3, 256, 256], fc6: [1, 7, 256, 512], fc7: [1, 1, 512, 512], fc8: [1, 1, 512, 250],
} as const;
const macs = (name: keyof typeof CONVS) => {
  const [side, k, inputs, filters] = CONVS[name];
  return side * side * k * k * inputs * filters;
};
const kernel = (name: keyof typeof CONVS) => CONVS[name][1] ** 2 * CONVS[name][2] * CONVS[name][3];
const BINARY = ['conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7'] as const;
const sumOf = (names: readonly (keyof typeof CONVS)[], f: (n: keyof typeof CONVS) => number) => names.reduce((s, n) => s + f(n), 0);

describe('summary (larq-style)', () => {
  it('vanilla Sketch-A-Net: 8,508,666 parameters, all 32-bit, every MAC float, per-layer shapes and MACs', () => {
    const s = summary(buildModel('sketch-a-net', { classes: 250 }));
    expect(s.totals).toMatchObject({ params: 8_508_666, params1: 0, binaryMacs: 0, floatBytes: 4 * 8_508_666, packedBytes: 4 * 8_508_666 });
    const conv1 = s.layers.find((l) => l.name === 'conv1')!;
    expect(conv1).toMatchObject({ type: 'Conv2D', outputShape: [71, 71, 64], inputBits: 32, weightBits: 32, params32: 15 * 15 * 64 + 64, floatMacs: macs('conv1') });
    expect(s.totals.floatMacs).toBe(sumOf(Object.keys(CONVS) as (keyof typeof CONVS)[], macs));
    expect(s.layers.find((l) => l.name === 'pool1')).toMatchObject({ outputShape: [35, 35, 64], params32: 0, floatMacs: 0 });
  });

  it('XNOR: conv2-fc7 are 1-bit weights on 1-bit inputs (binary MACs), conv1 and fc8 stay float; BWN MACs stay float', () => {
    const xnor = summary(buildModel('sketch-a-net-xnor', { classes: 250 }));
    for (const name of BINARY) {
      expect(xnor.layers.find((l) => l.name === name), name).toMatchObject({ type: 'QuantConv2D', inputBits: 1, weightBits: 1, params1: kernel(name), binaryMacs: macs(name), floatMacs: 0 });
    }
    expect(xnor.totals.params1).toBe(sumOf(BINARY, kernel));
    expect(xnor.totals.binaryMacs).toBe(sumOf(BINARY, macs));
    expect(xnor.totals.floatMacs).toBe(macs('conv1') + macs('fc8'));
    expect(xnor.totals.floatBytes / xnor.totals.packedBytes).toBeGreaterThan(15);

    const bwn = summary(buildModel('sketch-a-net-bwn', { classes: 250 }));
    expect(bwn.totals.params1).toBe(xnor.totals.params1);
    expect(bwn.totals.binaryMacs).toBe(0);
    expect(bwn.layers.find((l) => l.name === 'conv3')).toMatchObject({ inputBits: 32, weightBits: 1, floatMacs: macs('conv3') });
  });

  it('the packed form of a model counts the same 1-bit parameters and binary MACs, and its stored bytes', () => {
    const model = buildModel('sketch-a-net-xnor', { classes: 20, inputSize: 128, width: 0.5 });
    const training = summary(model);
    const { model: packed } = packModel(model);
    const bundle = summary(packed);
    expect(bundle.totals.params1).toBe(training.totals.params1);
    expect(bundle.totals.binaryMacs).toBe(training.totals.binaryMacs);
    expect(bundle.layers.find((l) => l.name === 'conv3')).toMatchObject({ type: 'PackedConv2D', inputBits: 1, weightBits: 1 });
    const text = formatSummary(training);
    expect(text.split('\n')[0]).toMatch(/^sketch-a-net-xnor: [\d,]+ parameters \([\d,]+ of them 1-bit\)$/);
    expect(text).toMatch(/\nconv3\s+QuantConv2D\s+6x6x128\s+1\s+1\s/);
    expect(text).toMatch(/memory: [\d.]+ KiB as float, [\d.]+ KiB packed \([\d.]+x smaller\); MACs: [\d.]+% binary$/);
  });
});
