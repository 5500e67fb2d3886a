// The run folder: what train writes and eval/predict read, with errors that name the missing or broken file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, symlink, unlink, writeFile, lstat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { CliError } from './errors.js';

/** Files of a run folder the CLI names (checkpoints are named by the trainer, model files by the models package). */
export const RUN_FILES = {
  config: 'config.json',
  model: 'model.json',
  metrics: 'metrics.jsonl',
} as const;

export function runPath(runDir: string, file: string): string {
  return join(runDir, file);
}

/** Reads and parses a JSON file of a run folder, with an error naming the file and what is wrong. */
export function readRunJson(runDir: string, file: string, purpose: string): unknown {
  const path = runPath(runDir, file);
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new CliError(`run folder ${runDir} does not exist (train writes one with --out <run>)`);
  }
  if (!existsSync(path)) throw new CliError(`run folder ${runDir} has no ${file} (${purpose}); was its training finished?`);
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') throw new CliError(`${path} is empty (truncated?)`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON (truncated or edited?): ${(err as Error).message}`);
  }
}

/** Writes a JSON file atomically (temp file + rename), so an interrupted run never leaves half a config. */
export async function writeRunJson(runDir: string, file: string, value: unknown): Promise<void> {
  const path = runPath(runDir, file);
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }); // a full disk leaves no half-written temp file behind
    throw err;
  }
}

/** A fresh timestamped run folder name under `parent`, e.g. `runs/2025-01-31T12-00-00`. */
export function timestampedRunDir(parent: string, date = new Date()): string {
  return join(parent, date.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-'));
}

/** Points `link` (e.g. runs/latest) at `target`; best effort, since some file systems have no symlinks. */
export async function pointLatestAt(link: string, target: string): Promise<boolean> {
  try {
    await mkdir(dirname(link), { recursive: true });
    const stat = await lstat(link).catch(() => undefined);
    if (stat && !stat.isSymbolicLink()) return false; // a real folder of that name: leave it alone
    if (stat) await unlink(link);
    await symlink(relative(dirname(resolve(link)), resolve(target)), link, 'dir');
    return true;
  } catch {
    return false;
  }
}
