// TU-Berlin sketches as PNG: `<root>/<category>/<n>.png` (any size; the shared set has 150x150 files and one
// 1111x1111), or one such file. Decoded with pngjs (any bit depth and color type, alpha composited over white)
// into a GrayImage with ink = 1: dark strokes on a light background become values near 1 on 0.
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import type { GrayImage } from '../types.js';
import { openCategoryFolders } from './files.js';
import { commonOptions, readerPlugin, type ReaderFactory } from './reader.js';

export const tuBerlinPngReader: ReaderFactory = {
  name: 'tu-berlin-png',
  description: "TU-Berlin PNG sketches: a folder of '<category>/<n>.png' (any size) or one .png file",
  create(options) {
    const common = commonOptions(options);
    return readerPlugin('tu-berlin-png', options, () =>
      openCategoryFolders('tu-berlin-png', common, ['.png'], async (file, id, category, log) => {
        let image: GrayImage;
        try {
          image = decodePng(await readFile(file));
        } catch (error) {
          log.report({ file, reason: `unreadable PNG (${(error as Error).message})` });
          return undefined;
        }
        return { label: category, id, strokes: [], image };
      }),
    );
  },
};

/** A PNG file's bytes to ink (1 - luminance, alpha composited over white). */
export function decodePng(bytes: Uint8Array): GrayImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height, data: rgba } = png;
  if (!(width > 0 && height > 0)) throw new Error(`empty image (${width}x${height})`);
  const data = new Float32Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    const luminance = (0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!) / 255;
    const alpha = rgba[p + 3]! / 255;
    data[i] = (1 - luminance) * alpha;
  }
  return { width, height, data };
}
