// Colormaps as 256-entry RGB lookup tables, built once from a few anchor colors of the published maps
// (matplotlib's viridis and inferno, ColorBrewer's RdBu). Linear interpolation between anchors is
// visually indistinguishable from the full tables at the sizes we draw.

export type ColormapName = 'viridis' | 'inferno' | 'gray' | 'diverging';

/** 256 entries of [r, g, b], each 0..255, flattened. */
export type Colormap = Uint8Array;

const anchors: Record<ColormapName, readonly (readonly [number, number, number])[]> = {
  viridis: [
    [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
    [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
  ],
  inferno: [
    [0, 0, 4], [31, 12, 72], [85, 15, 109], [136, 34, 106], [186, 54, 85],
    [227, 89, 51], [249, 140, 10], [249, 201, 50], [252, 255, 164],
  ],
  gray: [[0, 0, 0], [255, 255, 255]],
  // Blue for negative, white at the middle, red for positive (RdBu reversed).
  diverging: [
    [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240], [247, 247, 247],
    [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
  ],
};

const cache = new Map<ColormapName, Colormap>();

export function colormap(name: ColormapName): Colormap {
  const cached = cache.get(name);
  if (cached) return cached;
  const points = anchors[name];
  if (!points) throw new Error(`Unknown colormap "${String(name)}"; known: ${Object.keys(anchors).join(', ')}`);
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (points.length - 1);
    const low = Math.min(Math.floor(position), points.length - 2);
    const fraction = position - low;
    for (let c = 0; c < 3; c++) {
      table[i * 3 + c] = Math.round(points[low]![c]! * (1 - fraction) + points[low + 1]![c]! * fraction);
    }
  }
  cache.set(name, table);
  return table;
}

/** The color of `value` in [0, 1] (clamped; NaN maps to 0). */
export function colorAt(table: Colormap, value: number): [number, number, number] {
  const index = Number.isFinite(value) ? Math.round(Math.min(1, Math.max(0, value)) * 255) : 0;
  return [table[index * 3]!, table[index * 3 + 1]!, table[index * 3 + 2]!];
}
