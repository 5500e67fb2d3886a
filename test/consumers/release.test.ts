// Releases: every package is versioned on its own by changesets, and each would publish. `changeset version`
// runs in a scratch copy of the manifests and changesets, so the repository keeps its versions.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publishablePackages, repoRoot } from '../../scripts/packages.mjs';
import { publishDryRun } from '../../scripts/publish-dry-run.mjs';

const run = promisify(execFile);
const packages = publishablePackages();
const internal = new Set(packages.map((pkg) => pkg.name));
const dependencyFields = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** Copies what `changeset version` reads and writes: the root manifest, .changeset/, each workspace's manifest and CHANGELOG. */
function scratchCopy(): string {
  const scratch = mkdtempSync(join(tmpdir(), 'sketch-xnor-changeset-'));
  cpSync(join(repoRoot, 'package.json'), join(scratch, 'package.json'));
  cpSync(join(repoRoot, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const group of ['packages', 'apps', 'examples']) {
    for (const entry of readdirSync(join(repoRoot, group))) {
      for (const file of ['package.json', 'CHANGELOG.md']) {
        const from = join(repoRoot, group, entry, file);
        if (!existsSync(from)) continue;
        mkdirSync(join(scratch, group, entry), { recursive: true });
        cpSync(from, join(scratch, group, entry, file));
      }
    }
  }
  if (existsSync(join(repoRoot, 'bench', 'package.json'))) {
    mkdirSync(join(scratch, 'bench'));
    cpSync(join(repoRoot, 'bench', 'package.json'), join(scratch, 'bench', 'package.json'));
  }
  return scratch;
}

const newerThan = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('-')[0]!.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]!;
  return false;
};

describe('release', () => {
  it('the changesets config versions every package independently', () => {
    const config = JSON.parse(readFileSync(join(repoRoot, '.changeset', 'config.json'), 'utf8'));
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.access).toBe('public');
    for (const pkg of packages) expect(config.ignore ?? [], pkg.name).not.toContain(pkg.name);
  });

  it('`changeset version` bumps every package, writes its CHANGELOG and moves internal ranges along', async () => {
    const scratch = scratchCopy();
    try {
      await run(process.execPath, [join(repoRoot, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: scratch });
      // Changesets stay only when they name ignored packages alone (changesets keeps those for later).
      const ignored = new Set<string>(JSON.parse(readFileSync(join(repoRoot, '.changeset', 'config.json'), 'utf8')).ignore ?? []);
      for (const file of readdirSync(join(scratch, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
        const named = [...readFileSync(join(scratch, '.changeset', file), 'utf8').matchAll(/^["']?(@?[\w./-]+)["']?\s*:\s*(?:major|minor|patch)\s*$/gm)].map((m) => m[1]);
        expect(named.filter((name) => !ignored.has(name!)), `${file} was not consumed`).toEqual([]);
      }
      const bumped = new Map<string, string>();
      for (const pkg of packages) {
        const manifest = JSON.parse(readFileSync(join(scratch, pkg.relativeDir, 'package.json'), 'utf8'));
        expect(newerThan(manifest.version, pkg.version), `${pkg.name} ${pkg.version} -> ${manifest.version}`).toBe(true);
        const changelog = join(scratch, pkg.relativeDir, 'CHANGELOG.md');
        expect(existsSync(changelog), `${pkg.name} has a CHANGELOG`).toBe(true);
        expect(readFileSync(changelog, 'utf8')).toContain(`## ${manifest.version}`);
        bumped.set(pkg.name, manifest.version);
      }
      for (const pkg of packages) {
        const manifest = JSON.parse(readFileSync(join(scratch, pkg.relativeDir, 'package.json'), 'utf8'));
        for (const field of dependencyFields) {
          for (const [name, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
            if (internal.has(name)) expect(range, `${pkg.name} ${field} ${name}`).toBe(`^${bumped.get(name)}`);
          }
        }
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('`npm publish --dry-run` succeeds for every package, with its README, code and declarations', () => {
    const reports = publishDryRun();
    expect(reports.map((r) => r.name).sort()).toEqual([...internal].sort());
    for (const report of reports) {
      const pkg = packages.find((p) => p.name === report.name)!;
      expect(report.files, report.name).toEqual(expect.arrayContaining(['README.md', 'package.json']));
      expect(report.files.some((file) => file.startsWith('src/') || file.includes('.test.')), `${report.name} ships no sources or tests`).toBe(false);
      const entry = pkg.manifest.exports?.['.']?.import ?? Object.values(pkg.manifest.bin ?? {})[0];
      expect(report.files, `${report.name} ships its entry`).toContain(String(entry).replace(/^\.\//, ''));
      if (pkg.manifest.types) expect(report.files, `${report.name} ships its types`).toContain(pkg.manifest.types.replace(/^\.\//, ''));
    }
  });
});
