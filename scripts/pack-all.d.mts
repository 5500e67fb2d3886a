import type { WorkspacePackage } from './packages.mjs';

export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
  files: string[];
  size: number;
}
/** Packs every publishable @sketch-xnor/* package (building first if a dist is missing) into `destination`. */
export function packAll(destination: string, packages?: WorkspacePackage[]): PackedPackage[];
