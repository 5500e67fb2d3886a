export const repoRoot: string;
export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  relativeDir: string;
  manifest: Record<string, any>;
}
/** Every public @sketch-xnor/* workspace package (packages/*, apps/*), in a stable order. */
export function publishablePackages(root?: string): WorkspacePackage[];
/** The example plugin packages (examples/*), private but packable. */
export function examplePackages(root?: string): WorkspacePackage[];
/** Builds the workspace with nx when a publishable package lacks dist/; true when it built. */
export function buildIfMissing(packages?: WorkspacePackage[], root?: string): boolean;
