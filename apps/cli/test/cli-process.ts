// Runs the built CLI as a child process, as a user would (the test command builds it first).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliMain = join(repoRoot, 'apps/cli/dist/main.js');
export const sharedData = join(process.env['SKETCH_XNOR_SHARED'] ?? resolve(repoRoot, '../shared'), 'data');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: build the CLI first (npx nx run cli:build)`);
}

/** Starts `node dist/main.js ...args`; `onStderr` sees the error stream as it arrives. */
export function startCli(args: string[], options: { cwd?: string; onOutput?: (text: string, child: ChildProcess) => void } = {}): { child: ChildProcess; result: Promise<CliResult> } {
  assertBuilt();
  const child = spawn(process.execPath, [cliMain, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onOutput?.(chunk, child);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    options.onOutput?.(chunk, child);
  });
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

export function runCli(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sketch-xnor-cli-${prefix}-`));
}
