// Messages between the page and an inference worker. The page runs two workers, one per slot: the float model on
// the backend the person picks, the binary (packed) model on wasm, webgpu or cpu, where its XNOR kernel exists.
import type { DrawnStroke } from './strokes.js';

export type BackendName = 'wasm' | 'webgl' | 'webgpu' | 'cpu';
export type Slot = 'float' | 'binary';

/** Where a model comes from: a folder URL, or files a person picked. */
export type ModelOrigin = { kind: 'url'; url: string } | { kind: 'files'; files: File[] };

export type ToWorker =
  | { type: 'backend'; backend: BackendName }
  | { type: 'load'; origin: ModelOrigin }
  | { type: 'predict'; id: number; strokes: DrawnStroke[] };

export interface ModelInfo {
  /** Zoo name from the run or bundle. */
  name: string;
  /** 'run': a TF.js run folder (float weights); 'bundle': a packed 1-bit bundle. */
  format: 'run' | 'bundle';
  /** Bytes downloaded for the model (manifest, topology and weights). */
  bytes: number;
  classes: string[];
  inputSize: number;
  channels: number;
  /** Where it was loaded from, for the page to show. */
  where: string;
  /** The TF.js kernels one prediction ran (e.g. XnorConv2D, SparseConv2D), on the worker's backend. */
  kernels: string[];
}

export interface Prediction {
  label: string;
  score: number;
}

export type FromWorker =
  | { type: 'backend'; backend: string; error?: string }
  | { type: 'loaded'; info: ModelInfo }
  | { type: 'prediction'; id: number; top: Prediction[]; ms: number; input: Float32Array; size: number; channels: number }
  | { type: 'error'; during: 'load' | 'predict' | 'backend'; message: string };
