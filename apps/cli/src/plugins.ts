// The registries' names, for help texts and "unknown name" errors.
import { listDatasets } from '@sketch-xnor/data';
import { listModels } from '@sketch-xnor/models';
import { describeSchedules } from './schedules.js';

export const knownModels = (): string[] => listModels();
export const knownDatasets = (): string[] => listDatasets();
export const knownSchedules = (): string[] => describeSchedules();
