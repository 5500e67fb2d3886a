// What a project kernel is: a TF.js kernel for one backend, built with the backend's own kernel of the same name
// at hand (when it has one), so it can hand over cases it does not cover.
import type { KernelFunc } from '@tensorflow/tfjs-core';

export interface ProjectKernel {
  readonly kernelName: string;
  readonly backendName: string;
  /** Why the project ships it (listed in the README). */
  readonly reason: string;
  /** Builds the kernel function; `original` is the backend's own kernel it replaces, if any. */
  create(original: KernelFunc | undefined): KernelFunc;
}
