#!/usr/bin/env node
// Packs every publishable @sketch-xnor/* package into one folder, the tarballs a user would install from npm.
// Usage: node scripts/pack-all.mjs [destination]   (default: <os tmpdir>/sketch-xnor-packages; builds first if needed)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfMissing, publishablePackages, repoRoot } from './packages.mjs';

/** Packs the packages into `destination`; returns `{ name, version, tarball, files, size }` per package. */
export function packAll(destination, packages = publishablePackages()) {
  buildIfMissing(packages);
  mkdirSync(destination, { recursive: true });
  const workspaces = packages.flatMap((pkg) => ['-w', pkg.relativeDir]);
  const stdout = execFileSync('npm', ['pack', '--json', '--pack-destination', destination, ...workspaces], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(stdout).map((packed) => ({
    name: packed.name,
    version: packed.version,
    tarball: join(destination, packed.filename),
    files: packed.files.map((file) => file.path),
    size: packed.size,
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const destination = resolve(process.argv[2] ?? join(tmpdir(), 'sketch-xnor-packages'));
  for (const packed of packAll(destination)) {
    console.log(`${packed.name}@${packed.version}  ${(packed.size / 1024).toFixed(1)} KiB  ${packed.files.length} files  ${packed.tarball}`);
  }
}
