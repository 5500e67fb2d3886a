// Checks of what run.json, a bundle's manifest.json and model.json may hold, shared by runs and bundles: file names
// that stay inside the folder, class lists, model options, input preprocessing, file checksums. Every check names
// the file and the field, and every size has a limit, so a hostile file is refused before it costs time or memory.
// Browser-safe (WebCrypto for SHA-256).

/** Most classes a model may have (TU-Berlin has 250, Quick, Draw! 345). */
export const MAX_CLASSES = 10_000;
/** Longest class name, model name, layer name or option string, in characters. */
export const MAX_NAME_LENGTH = 256;
/** Largest side sketches may be rendered at before the crop (a render of 2048x2048 float32 is 16 MiB). */
export const MAX_RENDER_SIZE = 2048;
/** Largest network input side (cropSize, inputSize). */
export const MAX_INPUT_SIZE = MAX_RENDER_SIZE;
/** Most input channels (1, or 3 stroke-order channels, today). */
export const MAX_CHANNELS = 16;
/** Most files a manifest or run.json lists, and most weight files model.json names. */
export const MAX_MODEL_FILES = 64;
/** Most weight entries model.json lists (Sketch-A-Net has under 40) and most layers a manifest reports. */
export const MAX_WEIGHT_ENTRIES = 10_000;
/** Most keys of an options object, and deepest nesting of its values (a quantizer spec is one level). */
export const MAX_OPTION_KEYS = 64;
export const MAX_OPTION_DEPTH = 4;

/** The error class a check throws (models use ModelFileError, bundles BundleError). */
export type FileErrorClass = new (message: string, options?: ErrorOptions) => Error;

/** Throws `ErrorClass` with "`where`: why". */
export type Fail = (why: string) => never;
export const failWith =
  (ErrorClass: FileErrorClass, where: string): Fail =>
  (why) => {
    throw new ErrorClass(`${where}: ${why}`);
  };

export type JsonObject = Record<string, unknown>;
export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIntegerIn = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** A plain file name inside the folder: letters, digits, `_`, `.`, `-`, and not `.` or `..` (as bundles always required). */
export const isPlainFileName = (path: unknown): path is string =>
  typeof path === 'string' && path.length <= MAX_NAME_LENGTH && /^[\w.-]+$/.test(path) && path !== '.' && path !== '..';

/**
 * Refuses a file name that could leave the folder (or URL) it is read from: `../x`, `/abs`, `..\x`, `%2e%2e%2f`, `a/b`.
 * `listedIn` names the file that listed it.
 */
export function checkFileName(path: unknown, listedIn: string, ErrorClass: FileErrorClass = Error, what = 'file'): string {
  if (isPlainFileName(path)) return path;
  throw new ErrorClass(
    `${listedIn}: names the ${what} ${JSON.stringify(path)}, which is not a plain file name inside the folder ` +
      '(only letters, digits, "_", "." and "-": no folders, "..", absolute paths or URL escapes)',
  );
}

function checkName(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0) return fail(`has no ${field}`);
  if (value.length > MAX_NAME_LENGTH) return fail(`${field} is ${value.length} characters long, more than ${MAX_NAME_LENGTH}`);
  return value;
}

/** The zoo name of a run or bundle. */
export const checkModelName = (value: unknown, fail: Fail): string => checkName(value, '"model" name', fail);

/** Class names: a non-empty list of distinct, reasonably short strings, at most MAX_CLASSES. */
export function checkClasses(value: unknown, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === 'string')) {
    return fail(Array.isArray(value) && value.length === 0 ? '"classes" is an empty list' : 'has no "classes" list of names');
  }
  if (value.length > MAX_CLASSES) return fail(`lists ${value.length} classes, more than ${MAX_CLASSES}`);
  const seen = new Set<string>();
  value.forEach((name: string, i) => {
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) fail(`class ${i} is ${name.length} characters long (1 to ${MAX_NAME_LENGTH})`);
    if (seen.has(name)) fail(`class ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
  });
  return value as string[];
}

/** A JSON value of an options object: scalars, short strings, small arrays and objects, nested at most MAX_OPTION_DEPTH. */
function checkOptionValue(value: unknown, field: string, fail: Fail, depth: number): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`${field} must be a finite number, got ${value}`);
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_NAME_LENGTH) fail(`${field} is a string of ${value.length} characters, more than ${MAX_NAME_LENGTH}`);
    return;
  }
  if (typeof value !== 'object') return fail(`${field} must be a JSON value`);
  if (depth >= MAX_OPTION_DEPTH) return fail(`${field} is nested too deeply (more than ${MAX_OPTION_DEPTH} levels)`);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length > MAX_OPTION_KEYS) fail(`${field} has ${entries.length} entries, more than ${MAX_OPTION_KEYS}`);
  for (const [key, v] of entries) checkOptionValue(v, Array.isArray(value) ? `${field}[${key}]` : `${field}.${key}`, fail, depth + 1);
}

function checkSize(value: unknown, field: string, max: number, fail: Fail): void {
  if (value !== undefined && !isIntegerIn(value, 1, max)) fail(`${field} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
}

/**
 * The options a model was built with: a JSON object of bounded size; `classes`, `inputSize` and `channels`, when
 * present, must be integers within the limits and `classes` must count the class names.
 */
export function checkOptions(value: unknown, classes: readonly string[], fail: Fail): JsonObject {
  if (!isObject(value)) return fail('has no "options" object');
  checkOptionValue(value, 'options', fail, 0);
  checkSize(value.classes, 'options.classes', MAX_CLASSES, fail);
  if (value.classes !== undefined && value.classes !== classes.length) {
    fail(`options.classes is ${value.classes}, but "classes" lists ${classes.length} names`);
  }
  checkSize(value.inputSize, 'options.inputSize', MAX_INPUT_SIZE, fail);
  checkSize(value.channels, 'options.channels', MAX_CHANNELS, fail);
  return value;
}

/**
 * The preprocessing a model expects (`input` of a manifest, `input`/`sample` of run.json): renderSize, cropSize or
 * inputSize and channels integers within the limits, renderSize at least the crop, augment a boolean.
 */
export function checkInput(value: unknown, field: string, fail: Fail): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return fail(`${field} must be an object`);
  checkOptionValue(value, field, fail, 0);
  checkSize(value.renderSize, `${field}.renderSize`, MAX_RENDER_SIZE, fail);
  checkSize(value.cropSize, `${field}.cropSize`, MAX_INPUT_SIZE, fail);
  checkSize(value.inputSize, `${field}.inputSize`, MAX_INPUT_SIZE, fail);
  checkSize(value.channels, `${field}.channels`, MAX_CHANNELS, fail);
  const crop = value.cropSize ?? value.inputSize;
  if (value.renderSize !== undefined && crop !== undefined && (value.renderSize as number) < (crop as number)) {
    fail(`${field}.renderSize ${value.renderSize} is smaller than ${field}.${value.cropSize !== undefined ? 'cropSize' : 'inputSize'} ${crop}`);
  }
  if (value.augment !== undefined && typeof value.augment !== 'boolean') fail(`${field}.augment must be true or false`);
  return value;
}

/** A file a manifest or run.json vouches for: its size and SHA-256. */
export interface FileChecksum {
  path: string;
  bytes: number;
  sha256: string;
}

/** A list of file checksums: at most MAX_MODEL_FILES, plain names, each once. */
export function checkFileChecksums(value: unknown, listedIn: string, ErrorClass: FileErrorClass, fail: Fail): FileChecksum[] {
  if (!Array.isArray(value) || value.length === 0) return fail('lists no files');
  if (value.length > MAX_MODEL_FILES) return fail(`lists ${value.length} files, more than ${MAX_MODEL_FILES}`);
  const seen = new Set<string>();
  for (const f of value) {
    if (!isObject(f)) return fail(`has a bad file entry ${JSON.stringify(f)}`);
    const path = checkFileName(f.path, listedIn, ErrorClass);
    if (seen.has(path)) fail(`lists ${path} twice`);
    seen.add(path);
    if (!Number.isSafeInteger(f.bytes) || (f.bytes as number) < 0) fail(`file ${path}: bytes must be a non-negative integer`);
    if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) fail(`file ${path}: sha256 must be 64 hex digits`);
  }
  return value as FileChecksum[];
}

/** SHA-256 as hex, with WebCrypto (Node >= 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The checksums of files, for a manifest or run.json. */
export const fileChecksums = (files: ReadonlyMap<string, Uint8Array>): Promise<FileChecksum[]> =>
  Promise.all([...files].map(async ([path, bytes]) => ({ path, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) })));

/** Checks a file's bytes against the checksums `listedIn` records; `where` is the folder or URL. */
export async function verifyChecksum(
  files: readonly FileChecksum[],
  listedIn: string,
  where: string,
  path: string,
  bytes: Uint8Array,
  ErrorClass: FileErrorClass,
): Promise<Uint8Array> {
  const entry = files.find((f) => f.path === path);
  if (!entry) throw new ErrorClass(`${where}/${listedIn} does not list ${path}`);
  if (bytes.byteLength !== entry.bytes) {
    throw new ErrorClass(`${where}/${path} is ${bytes.byteLength} bytes but ${listedIn} says ${entry.bytes}` + (bytes.byteLength < entry.bytes ? ' (truncated?)' : ''));
  }
  if ((await sha256Hex(bytes)) !== entry.sha256) {
    throw new ErrorClass(`${where}/${path}: checksum mismatch with ${listedIn} (the file is corrupt or was changed)`);
  }
  return bytes;
}

/** The number of outputs of a classifier: the last dimension of its (single) output. */
export function outputUnits(model: { outputs: ReadonlyArray<{ shape: ReadonlyArray<number | null> }> }): number | undefined {
  if (model.outputs.length !== 1) return undefined;
  const last = model.outputs[0]!.shape.at(-1);
  return typeof last === 'number' ? last : undefined;
}

/** Refuses class names that do not count the model's outputs; `model` names where the model came from. */
export function checkClassCount(classes: readonly string[], model: Parameters<typeof outputUnits>[0], modelName: string, fail: Fail): void {
  const units = outputUnits(model);
  if (units !== classes.length) {
    fail(`lists ${classes.length} classes, but ${modelName} has ${units === undefined ? `${model.outputs.length} outputs of no fixed size` : `${units} outputs`}`);
  }
}
