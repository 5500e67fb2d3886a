// The packed bundle: a TF.js model (model.json + weights.bin) whose binarized layers are PackedConv2D, plus a
// versioned manifest.json that names the model and its classes and holds the size and SHA-256 of every file,
// so a truncated or tampered bundle is refused before any weight is read.

export const BUNDLE_FORMAT = 'sketch-xnor-bundle';
export const BUNDLE_VERSION = 1;

export interface BundleFileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  /** The zoo name the run was trained with, e.g. "sketch-a-net-xnor". */
  model: string;
  /** The options it was built with (classes, inputSize, width, ...). */
  options: Record<string, unknown>;
  /** Class names in output order. */
  classes: string[];
  /** How float layers are stored: as float32, or as 8-bit with a scale. */
  floatWeights: 'float32' | 'uint8';
  /** What the packer did to each layer. */
  layers: Array<{ name: string; action: string; why?: string }>;
  /** Preprocessing the model expects, copied from the run (input size, render size, channels...). */
  input?: Record<string, unknown>;
  files: BundleFileEntry[];
  /** Where it came from: the run folder and the float model's size in bytes. */
  source?: { run?: string; floatBytes?: number };
}

export class BundleError extends Error {
  override name = 'BundleError';
}

/** Checks a parsed manifest.json; `where` names it in errors. */
export function validateManifest(value: unknown, where: string): BundleManifest {
  const fail = (why: string): never => {
    throw new BundleError(`${where}: ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('is not a JSON object');
  const m = value as Partial<BundleManifest>;
  if (m.format !== BUNDLE_FORMAT) fail(`format is ${JSON.stringify(m.format)}, expected "${BUNDLE_FORMAT}"`);
  if (m.version !== BUNDLE_VERSION) fail(`version ${JSON.stringify(m.version)} is not supported (this reader knows version ${BUNDLE_VERSION})`);
  if (typeof m.model !== 'string' || !m.model) fail('has no model name');
  if (!Array.isArray(m.classes) || !m.classes.every((c) => typeof c === 'string')) fail('classes must be an array of names');
  if (!Array.isArray(m.files) || m.files.length === 0) fail('lists no files');
  for (const f of m.files!) {
    if (!f || typeof f.path !== 'string' || !/^[\w.-]+$/.test(f.path)) fail(`has a bad file entry ${JSON.stringify(f)}`);
    if (!Number.isInteger(f.bytes) || f.bytes < 0) fail(`file ${f.path}: bytes must be a non-negative integer`);
    if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) fail(`file ${f.path}: sha256 must be 64 hex digits`);
  }
  if (!m.files!.some((f) => f.path === 'model.json')) fail('lists no model.json');
  return m as BundleManifest;
}

/** SHA-256 as hex, with WebCrypto (Node >= 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads a file's bytes, checking them against the manifest. */
export async function verifiedFile(manifest: BundleManifest, path: string, bytes: Uint8Array, where: string): Promise<Uint8Array> {
  const entry = manifest.files.find((f) => f.path === path);
  if (!entry) throw new BundleError(`${where}: ${path} is not listed in manifest.json`);
  if (bytes.byteLength !== entry.bytes) {
    throw new BundleError(
      `${where}/${path} is ${bytes.byteLength} bytes but manifest.json says ${entry.bytes}` +
        (bytes.byteLength < entry.bytes ? ' (truncated?)' : ''),
    );
  }
  const sum = await sha256Hex(bytes);
  if (sum !== entry.sha256) throw new BundleError(`${where}/${path}: checksum mismatch (the file is corrupt or was changed)`);
  return bytes;
}
