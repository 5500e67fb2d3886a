// `sketch-xnor train --backend webgpu` on a machine without a WebGPU adapter (CI, this one): the reason on stderr
// and a non-zero exit, before any data is read or a run folder is written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-process.js';

describe('sketch-xnor train --backend webgpu without a GPU', () => {
  it('prints why webgpu cannot start and exits 1', async () => {
    const out = join(tempDir('webgpu'), 'run');
    const { code, stderr } = await runCli(['train', '--backend', 'webgpu', '--dataset', 'synthetic', '--epochs', '1', '--out', out]);
    if (code === 0) return expect.fail('webgpu started: this machine has a WebGPU adapter, so there is no error to check here');
    expect(code).toBe(1);
    // Dawn installed (the `webgpu` package) but no adapter, or Dawn missing: either way the reason is named
    expect(stderr).toMatch(
      /--backend webgpu: (backend "webgpu": no WebGPU adapter was found \(no GPU, or its driver is not usable here\)|backend "webgpu" needs the npm package webgpu, which is not installed: npm install webgpu)/,
    );
    expect(stderr).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
  });
});
