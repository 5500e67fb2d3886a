// The shapes that flow through @sketch-xnor/data. Plain data, no TF.js.

/** One pen-down polyline in drawing order. `t` holds per-point times in ms when the source has them. */
export interface Stroke {
  x: Float32Array;
  y: Float32Array;
  t?: Float64Array;
}

/** A decoded grayscale raster, row-major, float in [0, 1] with ink = 1. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** One labelled drawing. Stroke sources fill `strokes`; raster-only sources leave it empty and set `image`. */
export interface Sketch {
  label: string;
  /** Stable id: the path relative to the dataset root, or `<file>:<line>` / key id for ndjson. */
  id: string;
  strokes: Stroke[];
  image?: GrayImage;
}

/** A piece of bad input that was skipped (or, in strict mode, thrown). */
export interface InputProblem {
  file: string;
  /** 1-based line for line formats, record index for binary formats; absent for whole files. */
  line?: number;
  reason: string;
}
