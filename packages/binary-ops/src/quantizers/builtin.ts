// The one list of the schemes binary-ops registers (one file per scheme).
import type { QuantizerClass } from '../quantizer.js';
import { ApproxSign } from './approx-sign.js';
import { DoReFa } from './dorefa.js';
import { MagnitudeAwareSign } from './magnitude-aware-sign.js';
import { SteSign } from './ste-sign.js';
import { XnorInput } from './xnor-input.js';

export const builtinQuantizers: readonly QuantizerClass[] = [SteSign, ApproxSign, MagnitudeAwareSign, XnorInput, DoReFa];
