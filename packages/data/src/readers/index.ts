// The built-in dataset readers, one file per format; dataset.ts registers this list.
import { quickDrawReader } from './quickdraw.js';
import type { ReaderFactory } from './reader.js';
import { syntheticReader } from './synthetic.js';
import { tuBerlinPngReader } from './tu-berlin-png.js';
import { tuBerlinSvgReader } from './tu-berlin-svg.js';

export const builtInReaders: readonly ReaderFactory[] = [quickDrawReader, tuBerlinSvgReader, tuBerlinPngReader, syntheticReader];
