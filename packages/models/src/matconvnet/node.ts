// Node: a MatConvNet .mat file on disk into the zoo's Sketch-A-Net (file read and zlib here, parsing is pure).
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { MatFileError, readMatFile } from './mat-v5.js';
import { sketchANetFromMatConvNet, type MatConvNetImport, type MatConvNetImportOptions } from './sketch-a-net.js';

/** Reads a MatConvNet SimpleNN Sketch-A-Net (MAT v5 / -v7) into the zoo's `sketch-a-net`. */
export async function importMatConvNet(path: string, options: Omit<MatConvNetImportOptions, 'file'> = {}): Promise<MatConvNetImport> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MatFileError(code === 'ENOENT' ? `${path} is missing` : `${path}: ${(err as Error).message}`, { cause: err });
  }
  const variables = readMatFile(bytes, {
    file: path,
    inflate: (compressed, maxOutputBytes) => new Uint8Array(inflateSync(compressed, { maxOutputLength: Math.max(1, maxOutputBytes) })),
  });
  return sketchANetFromMatConvNet(variables, { ...options, file: path });
}
