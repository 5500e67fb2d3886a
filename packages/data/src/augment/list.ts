// The built-in stroke augmentations, one file each; index.ts registers this list.
import type { AugmentationFactory } from './augmentation.js';
import { deformation } from './deformation.js';
import { rotation } from './rotation.js';
import { strokeRemoval } from './stroke-removal.js';

export const builtInAugmentations: readonly AugmentationFactory[] = [strokeRemoval, deformation, rotation];
