// The built-in dataset readers, one file per format; dataset.ts registers this list.
import { quickDrawReader } from './quickdraw.js';
import type { ReaderFactory } from './reader.js';

export const builtInReaders: readonly ReaderFactory[] = [quickDrawReader];
