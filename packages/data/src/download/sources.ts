// Where the datasets are published, and their file names: pure, so a browser can fetch from the same places.
export const QUICKDRAW_BASE_URL = 'https://storage.googleapis.com/quickdraw_dataset/full/';

/** `simplified`: ndjson, 0..255 coordinates; `raw`: ndjson with times; `binary`: the packed `.bin` form. */
export type QuickDrawFormat = 'simplified' | 'raw' | 'binary';

export function quickDrawFileName(category: string, format: QuickDrawFormat = 'simplified'): string {
  return `${category}.${format === 'binary' ? 'bin' : 'ndjson'}`;
}

/** `<base><format>/<category, URL-encoded>.<ext>`, e.g. `.../full/simplified/The%20Eiffel%20Tower.ndjson`. */
export function quickDrawUrl(category: string, format: QuickDrawFormat = 'simplified', baseUrl = QUICKDRAW_BASE_URL): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}${format}/${encodeURIComponent(quickDrawFileName(category, format))}`;
}

export const TU_BERLIN_BASE_URL = 'http://cybertron.cg.tu-berlin.de/eitz/projects/classifysketch/';

export type TuBerlinFormat = 'svg' | 'png';

export function tuBerlinArchiveName(format: TuBerlinFormat = 'svg'): string {
  return `sketches_${format}.zip`;
}
