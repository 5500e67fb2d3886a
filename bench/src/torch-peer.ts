// Runs the PyTorch peer (../shared/peers/torch_sketch_a_net.py) so a benchmark can print a ratio against it in the
// same run. The peer prints one JSON line; when python3-torch is missing this says so instead of failing the bench.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TorchPeerOptions {
  batch: number;
  threads: number;
  size?: number;
  width?: number;
  steps?: number;
}

export interface TorchPeerResult {
  version: string;
  batch: number;
  threads: number;
  params: number;
  forwardMsPerImage: number;
  trainMsPerImage: number;
}

/** Why the peer did not run, for the bench to print. */
export interface TorchPeerSkipped {
  skipped: string;
}

const PYTHON = '/usr/bin/python3';
const INSTALL_HINT = 'apt-get update && apt-get install -y python3-torch';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function peerScriptPath(): string {
  const shared = process.env.SKETCH_XNOR_SHARED ?? path.resolve(repoRoot, '../shared');
  return path.join(shared, 'peers', 'torch_sketch_a_net.py');
}

/** The command line, for printing next to the numbers so anyone can rerun the peer alone. */
export function torchPeerCommand(options: TorchPeerOptions): string[] {
  const args = [peerScriptPath(), '--batch', String(options.batch), '--threads', String(options.threads)];
  if (options.size !== undefined) args.push('--size', String(options.size));
  if (options.width !== undefined) args.push('--width', String(options.width));
  if (options.steps !== undefined) args.push('--steps', String(options.steps));
  return [PYTHON, ...args];
}

function run(command: string[]): Promise<{ stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(command[0]!, command.slice(1), { maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, ...(error ? { error } : {}) }),
    );
  });
}

/** Parses the peer's JSON line; throws naming what is missing. */
export function parsePeerOutput(stdout: string): TorchPeerResult {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the PyTorch peer printed no JSON line; it printed: ${stdout.slice(0, 500)}`);
  const json = JSON.parse(line) as Record<string, unknown>;
  const num = (key: string): number => {
    const v = json[key];
    if (typeof v !== 'number') throw new Error(`the PyTorch peer's JSON has no number "${key}": ${line}`);
    return v;
  };
  return {
    version: String(json.version),
    batch: num('batch'),
    threads: num('threads'),
    params: num('params'),
    forwardMsPerImage: num('forward_ms_per_image'),
    trainMsPerImage: num('train_ms_per_image'),
  };
}

/** Times Sketch-A-Net in PyTorch on this machine, or says why it cannot. */
export async function runTorchPeer(options: TorchPeerOptions): Promise<TorchPeerResult | TorchPeerSkipped> {
  const script = peerScriptPath();
  if (!existsSync(script)) return { skipped: `the peer script ${script} is missing (set SKETCH_XNOR_SHARED)` };
  const probe = await run([PYTHON, '-c', 'import torch']);
  if (probe.error) return { skipped: `PyTorch is not installed for ${PYTHON} (install it once: ${INSTALL_HINT})` };
  const result = await run(torchPeerCommand(options));
  if (result.error) return { skipped: `the PyTorch peer failed: ${result.error.message}\n${result.stderr.slice(-1000)}` };
  return parsePeerOutput(result.stdout);
}
