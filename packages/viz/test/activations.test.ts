import { beforeAll, describe, expect, it } from 'vitest';
import {
  activationGrid, compareActivations, computeActivations, convActivationSites, decodePng, activationGridPng,
} from '@sketch-xnor/viz';
import { strokeImage, tinyConvNet, useCpu } from './fixtures.js';

beforeAll(useCpu);

const size = 16;
const diagonal = strokeImage(size, [[2, 2, 13, 13]]);
const cross = strokeImage(size, [[8, 1, 8, 14], [1, 8, 14, 8]]);

describe('activation maps', () => {
  it('finds every convolution and the layer holding its nonlinearity', () => {
    const sites = convActivationSites(tinyConvNet(size));
    expect(sites.map((s) => [s.conv.name, s.activation.name])).toEqual([['conv1', 'conv1'], ['conv2', 'relu2']]);
  });

  it('reads maps with the shape of each layer and the ReLU applied', () => {
    const maps = computeActivations(tinyConvNet(size), diagonal);
    expect(maps.map((m) => [m.layer, m.height, m.width, m.channels])).toEqual([['conv1', 16, 16, 4], ['relu2', 8, 8, 6]]);
    for (const m of maps) expect(Math.min(...m.data)).toBeGreaterThanOrEqual(0);
  });

  it('draws one tile per channel, each normalized to its own range, and changes with the input', () => {
    const model = tinyConvNet(size);
    const [conv1] = computeActivations(model, diagonal);
    const grid = activationGrid(conv1!, { minTileSize: 32 });
    expect(grid.layout.origins).toHaveLength(4);
    expect(grid.layout.tileWidth).toBe(32); // 16 px maps upscaled x2
    expect(grid.image.width).toBe(2 * 32 + 2);
    // Each tile shows its own map: pixel (x, y) of tile c is the colormapped value of channel c at (x/2, y/2).
    const distinctTiles = new Set(grid.layout.origins.map(([ox, oy]) => {
      const row: number[] = [];
      for (let x = 0; x < 32; x++) row.push(grid.image.data[((oy + 10) * grid.image.width + ox + x) * 4]!);
      return row.join(',');
    }));
    expect(distinctTiles.size).toBeGreaterThan(1);
    for (const [low, high] of grid.ranges) expect(high).toBeGreaterThanOrEqual(low);

    const pngA = activationGridPng(conv1!);
    const pngB = activationGridPng(computeActivations(model, cross)[0]!);
    const a = decodePng(pngA);
    const b = decodePng(pngB);
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    let differing = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) differing++;
    expect(differing / a.data.length).toBeGreaterThan(0.05);
  });

  it('gives 1x1 maps (single units) one range for the whole layer, so channels can be compared', () => {
    const units = { layer: 'fc', convLayer: 'fc', kind: 'output' as const, height: 1, width: 1, channels: 3, data: Float32Array.from([0, 1, 4]) };
    const grid = activationGrid(units, { minTileSize: 2 });
    expect(grid.ranges).toEqual([[0, 4], [0, 4], [0, 4]]);
    const red = (tile: number) => {
      const [x, y] = grid.layout.origins[tile]!;
      return grid.image.data[(y * grid.image.width + x) * 4]!;
    };
    expect(new Set([red(0), red(1), red(2)]).size).toBe(3);
    expect(activationGrid(units, { normalize: 'map' }).ranges).toEqual([[0, 4], [0, 4], [0, 4]]);
    const maps = computeActivations(tinyConvNet(size), diagonal)[1]!;
    const shared = activationGrid(maps, { normalize: 'layer' }).ranges;
    expect(new Set(shared.map((r) => r.join())).size).toBe(1);
  });

  it('rejects an image of the wrong size with a clear message', () => {
    expect(() => computeActivations(tinyConvNet(size), strokeImage(8, []))).toThrow(/8x8x1 but model "tiny" takes 16x16x1/);
  });

  it('puts runs side by side and refuses runs of different depth', () => {
    const runA = { label: 'vanilla', layers: computeActivations(tinyConvNet(size, 3, 1), diagonal) };
    const runB = { label: 'bwn', layers: computeActivations(tinyConvNet(size, 3, 7), diagonal) };
    const figures = compareActivations([runA, runB]);
    expect(figures).toHaveLength(2);
    const single = decodePng(activationGridPng(runA.layers[0]!));
    const both = decodePng(figures[0]!.png);
    expect(both.width).toBe(2 * single.width + 16);
    expect(figures[0]!.offsets).toEqual([0, single.width + 16]);
    expect(() => compareActivations([runA, { label: 'short', layers: runB.layers.slice(1) }])).toThrow(/cannot be compared/);
  });
});
