// The built-in dataset readers, one file per format; dataset.ts registers this list (the browser build only the
// file-free ones, file-free.ts).
import { fileFreeReaders } from './file-free.js';
import { quickDrawReader } from './quickdraw.js';
import type { ReaderFactory } from './reader.js';
import { tuBerlinPngReader } from './tu-berlin-png.js';
import { tuBerlinSvgReader } from './tu-berlin-svg.js';

export const builtInReaders: readonly ReaderFactory[] = [quickDrawReader, tuBerlinSvgReader, tuBerlinPngReader, ...fileFreeReaders];
