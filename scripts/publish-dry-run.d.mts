export interface PublishReport {
  name: string;
  version: string;
  files: string[];
}
/** `npm publish --dry-run` of every publishable package; throws with npm's output when one would fail. */
export function publishDryRun(): PublishReport[];
