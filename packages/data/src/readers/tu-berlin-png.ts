// TU-Berlin sketches as PNG: `<root>/<category>/<n>.png` (any size up to MAX_PNG_SIDE; the shared set has 150x150
// files and one 1111x1111), or one such file. The header and chunk layout are checked before anything is
// inflated (a 69-byte file can declare 30000x30000, a 1 MB one can inflate to gigabytes), the pixel data is
// inflated with a bound, then decoded with pngjs (any bit depth and color type, alpha composited over white)
// into a GrayImage with ink = 1: dark strokes on a light background become values near 1 on 0.
import { readFile, stat } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { InputError } from '../problems.js';
import type { GrayImage } from '../types.js';
import { openCategoryFolders } from './files.js';
import { commonOptions, readerPlugin, type ReaderFactory } from './reader.js';

/** Largest width or height decoded: room above TU-Berlin's 1111x1111 originals. */
export const MAX_PNG_SIDE = 4096;
/** Most pixels decoded (e.g. 4096x2048): about 100 MB while decoding, at most. */
export const MAX_PNG_PIXELS = 4096 * 2048;
/** Largest PNG file read, in bytes (the shared TU-Berlin PNGs are 1-30 KB). */
export const MAX_PNG_BYTES = 64 * 1024 * 1024;

export const tuBerlinPngReader: ReaderFactory = {
  name: 'tu-berlin-png',
  description: "TU-Berlin PNG sketches: a folder of '<category>/<n>.png' (any size) or one .png file",
  create(options) {
    const common = commonOptions(options);
    return readerPlugin('tu-berlin-png', options, () =>
      openCategoryFolders('tu-berlin-png', common, ['.png'], async (file, id, category, log) => {
        let image: GrayImage;
        try {
          image = decodePng(await readPngFile(file), file);
        } catch (error) {
          log.report(error instanceof InputError ? error.problem : { file, reason: `cannot be read (${(error as Error).message})` });
          return undefined;
        }
        // A page without ink is not a sketch (and would be classified as one with no warning).
        if (!image.data.some((ink) => ink > 0)) {
          log.report({ file, reason: 'blank image (no ink anywhere)' });
          return undefined;
        }
        return { label: category, id, strokes: [], image };
      }, 'png'),
    );
  },
};

async function readPngFile(file: string): Promise<Uint8Array> {
  const { size } = await stat(file);
  if (size > MAX_PNG_BYTES) throw new InputError({ file, reason: `unreadable PNG (file of ${size} bytes is larger than ${MAX_PNG_BYTES} bytes)` });
  return readFile(file);
}

/** What the IHDR chunk says, and the pixel data (IDAT chunks) found. */
export interface PngLayout {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** The concatenated IDAT chunks' data (still compressed). */
  compressed: Buffer[];
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Channels per color type (gray, -, RGB, palette, gray + alpha, -, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Walks a PNG's chunks (lengths only, nothing inflated) and checks the header against the limits. Throws an
 * Error saying what is wrong: not a PNG, truncated, too large, or without pixel data.
 */
export function readPngLayout(bytes: Uint8Array): PngLayout {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length > MAX_PNG_BYTES) throw new Error(`${buffer.length} bytes is larger than ${MAX_PNG_BYTES} bytes`);
  if (buffer.length < SIGNATURE.length || SIGNATURE.some((byte, i) => buffer[i] !== byte)) throw new Error('not a PNG (no PNG signature)');
  let layout: PngLayout | undefined;
  for (let at = SIGNATURE.length; ; ) {
    if (buffer.length - at < 12) throw new Error(`truncated: the file ends ${at === buffer.length ? 'before the IEND chunk' : `inside a chunk header at byte ${at}`}`);
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('latin1', at + 4, at + 8);
    const left = buffer.length - at - 12;
    if (length > left) {
      const into = left + 4 >= length ? "inside the chunk's CRC" : `${left + 4} bytes into it`;
      throw new Error(`truncated: the ${printable(type)} chunk declares ${length} bytes, the file ends ${into}`);
    }
    const data = buffer.subarray(at + 8, at + 8 + length);
    if (!layout) {
      if (type !== 'IHDR' || length !== 13) throw new Error('no IHDR header chunk first');
      layout = checkedHeader(data);
    } else if (type === 'IHDR') throw new Error('a second IHDR header chunk'); // pngjs would take its size
    else if (type === 'IDAT') layout.compressed.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (layout.compressed.length === 0) throw new Error('no pixel data: no IDAT chunk');
  return layout;
}

function checkedHeader(data: Buffer): PngLayout {
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0) throw new Error(`empty image (${width}x${height})`);
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE || width * height > MAX_PNG_PIXELS) {
    throw new Error(`${width}x${height} pixels is too large: at most ${MAX_PNG_SIDE} per side and ${MAX_PNG_PIXELS} pixels`);
  }
  if (CHANNELS[colorType!] === undefined || ![1, 2, 4, 8, 16].includes(bitDepth!)) throw new Error(`unknown color type ${colorType} / bit depth ${bitDepth}`);
  return { width, height, bitDepth: bitDepth!, colorType: colorType!, interlaced: interlace === 1, compressed: [] };
}

/** Bytes of filtered pixel data a layout needs once inflated (a filter byte per row, Adam7 passes when interlaced). */
export function inflatedPngBytes({ width, height, bitDepth, colorType, interlaced }: Omit<PngLayout, 'compressed'>): number {
  const bitsPerPixel = CHANNELS[colorType]! * bitDepth;
  const passBytes = (w: number, h: number) => (w > 0 && h > 0 ? (Math.ceil((w * bitsPerPixel) / 8) + 1) * h : 0);
  if (!interlaced) return passBytes(width, height);
  // Adam7: [x start, y start, x step, y step] of the 7 passes.
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  return passes.reduce((sum, [x, y, dx, dy]) => sum + passBytes(Math.ceil((width - x) / dx), Math.ceil((height - y) / dy)), 0);
}

/** Inflates the pixel data, never to more than the image needs; short or broken data is an Error. */
function checkPixelData(layout: PngLayout): void {
  const need = inflatedPngBytes(layout);
  const size = `${layout.width}x${layout.height}`;
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(layout.compressed), { maxOutputLength: need + 1 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`the pixel data inflates to more than the ${need} bytes of a ${size} image`);
    throw new Error(`the pixel data cannot be inflated (${(error as Error).message})`);
  }
  if (inflated.length > need) throw new Error(`the pixel data inflates to more than the ${need} bytes of a ${size} image`);
  if (inflated.length < need) throw new Error(`pixel data is short: ${inflated.length} of the ${need} bytes of a ${size} image`);
}

const printable = (type: string) => (/^[A-Za-z]{4}$/.test(type) ? type : JSON.stringify(type));

/**
 * A PNG file's bytes to RGBA, 8 bits per channel, after checking the header's size against MAX_PNG_SIDE /
 * MAX_PNG_PIXELS and the pixel data's presence and length, before anything is inflated; anything wrong is an
 * InputError `<source>: unreadable PNG (<what>)`.
 */
export function decodePngRgba(bytes: Uint8Array, source = 'PNG data'): { width: number; height: number; data: Uint8Array } {
  try {
    const layout = readPngLayout(bytes);
    checkPixelData(layout);
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (error) {
    throw new InputError({ file: source, reason: `unreadable PNG (${(error as Error).message})` }, { cause: error });
  }
}

/** A PNG file's bytes to ink (1 - luminance, alpha composited over white), checked as `decodePngRgba` does. */
export function decodePng(bytes: Uint8Array, source = 'PNG data'): GrayImage {
  const { width, height, data: rgba } = decodePngRgba(bytes, source);
  const data = new Float32Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    const luminance = (0.299 * rgba[p]! + 0.587 * rgba[p + 1]! + 0.114 * rgba[p + 2]!) / 255;
    const alpha = rgba[p + 3]! / 255;
    data[i] = (1 - luminance) * alpha;
  }
  return { width, height, data };
}
