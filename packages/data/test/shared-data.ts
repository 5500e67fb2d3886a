// Where the real sketch data lives (read-only, beside the repository): $SKETCH_XNOR_SHARED/data.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export const sharedData = resolve(process.env['SKETCH_XNOR_SHARED'] ?? resolve(repoRoot, '../shared'), 'data');
export const quickDrawDir = resolve(sharedData, 'quickdraw-345');
export const tuBerlinSvgDir = resolve(sharedData, 'tu-berlin-svg-sample/svg');
export const tuBerlinPngDir = resolve(sharedData, 'tu-berlin-png-40');
