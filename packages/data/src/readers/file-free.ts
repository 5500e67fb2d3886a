// The built-in readers that need no files (and so no Node): the whole list of the browser build.
import type { ReaderFactory } from './reader.js';
import { syntheticReader } from './synthetic.js';

export const fileFreeReaders: readonly ReaderFactory[] = [syntheticReader];

/** The built-in readers that read files: in a browser, what to use instead. */
export const fileReaderAlternatives: Readonly<Record<string, string>> = {
  quickdraw: 'parse fetched ndjson text line by line with parseQuickDrawLine',
  'tu-berlin-svg': "parse a fetched SVG document's text with parseSvgStrokes",
  'tu-berlin-png': 'decode the image with the browser (createImageBitmap, canvas) into a GrayImage',
};
