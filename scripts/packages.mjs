// The workspace's publishable packages (@sketch-xnor/*, not private), and their builds: shared by the pack, publish
// dry-run and consumer scripts and tests, so all of them agree on what "every package" means.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** `{ name, version, dir, manifest }` of every public @sketch-xnor/* workspace package, in a stable order. */
export function publishablePackages(root = repoRoot) {
  return workspacePackages(['packages', 'apps'], root).filter((pkg) => !pkg.manifest.private);
}

/** The example plugin packages (examples/*): private, but packed and installed like a third party's plugin. */
export function examplePackages(root = repoRoot) {
  return workspacePackages(['examples'], root);
}

function workspacePackages(groups, root) {
  const found = [];
  for (const group of groups) {
    if (!existsSync(join(root, group))) continue;
    for (const entry of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, entry, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      if (!manifest.name?.startsWith('@sketch-xnor/')) continue;
      found.push({ name: manifest.name, version: manifest.version, dir: join(root, group, entry), relativeDir: `${group}/${entry}`, manifest });
    }
  }
  return found;
}

/** Builds the workspace (nx, cached) when any publishable package lacks its dist folder. */
export function buildIfMissing(packages = publishablePackages(), root = repoRoot) {
  const missing = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (missing.length === 0) return false;
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  return true;
}
