#!/usr/bin/env node
// `npm publish --dry-run` for every publishable @sketch-xnor/* package (nothing is uploaded): checks that each one
// would publish, with the files it would publish. Usage: node scripts/publish-dry-run.mjs   (builds first if needed)
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { buildIfMissing, publishablePackages, repoRoot } from './packages.mjs';

/** Runs the dry run; throws with npm's output if any package would fail. Returns `{ name, version, files }`. */
export function publishDryRun(packages = publishablePackages()) {
  buildIfMissing(packages);
  const workspaces = packages.flatMap((pkg) => ['-w', pkg.relativeDir]);
  let stdout;
  try {
    stdout = execFileSync('npm', ['publish', '--dry-run', '--json', ...workspaces], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`npm publish --dry-run failed:\n${error.stderr ?? ''}${error.stdout ?? ''}`);
  }
  return Object.values(JSON.parse(stdout)).map((report) => ({ name: report.name, version: report.version, files: report.files.map((file) => file.path) }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const report of publishDryRun()) console.log(`${report.name}@${report.version} would publish ${report.files.length} files`);
}
