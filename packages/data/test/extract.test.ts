// Zip extraction of downloaded archives: paths stay inside the output folder, and a zip bomb (declared or lying
// about its sizes) is refused, naming the archive, before it fills the disk.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeZip } from './zip-fixture.js';
import { InputError, extractZip } from '../src/index.js';

/** Every occurrence of `from` replaced by `to` (same length): names and sizes in both local and central headers. */
function patch(bytes: Buffer, from: Buffer, to: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) to.copy(out, at);
  return out;
}

async function extractError(zip: Buffer, limits?: Parameters<typeof extractZip>[3]) {
  const dir = mkdtempSync(join(tmpdir(), 'extract-'));
  const archive = join(dir, 'archive.zip');
  writeFileSync(archive, zip);
  const out = join(dir, 'out');
  const error = await extractZip(archive, out, undefined, limits).then(() => undefined, (e: unknown) => e as Error);
  return { error, archive, dir, out };
}

describe('extractZip', () => {
  it('extracts nested files with their contents', async () => {
    const { error, out } = await extractError(await makeZip({ 'svg/cat/1.svg': '<svg/>', 'svg/dog/2.svg': '<svg></svg>' }));
    expect(error).toBeUndefined();
    expect(readFileSync(join(out, 'svg/dog/2.svg'), 'utf8')).toBe('<svg></svg>');
  });

  it.each([
    ['../', 'aa/'],
    ['..\\', 'aa_'],
    ['/tmp/', 'xxxx/'],
  ])('refuses an entry named "%sevil.txt", writing nothing outside the folder', async (prefix, placeholder) => {
    const zip = patch(await makeZip({ [`${placeholder}evil.txt`]: 'owned', 'ok.txt': 'fine' }), Buffer.from(`${placeholder}evil.txt`), Buffer.from(`${prefix}evil.txt`));
    const { error, archive, dir } = await extractError(zip);
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toContain(archive);
    expect(readdirSync(dir).sort()).toEqual(['archive.zip', ...(existsSync(join(dir, 'out')) ? ['out'] : [])]);
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
  });

  it('refuses a zip bomb by its declared size before writing anything', async () => {
    // 64 MiB of zeros compress to ~64 KiB
    const bomb = await makeZip({ 'zeros.bin': Buffer.alloc(64 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { error, archive, out } = await extractError(bomb, { maxBytes: 8 * 1024 * 1024 });
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toMatch(new RegExp(`^${archive.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: would extract to 67108864 bytes, more than the 8388608 allowed`));
    expect(existsSync(join(out, 'zeros.bin'))).toBe(false);
  });

  it('refuses too many entries', async () => {
    const many = await makeZip(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, 'x'])));
    const { error } = await extractError(many, { maxEntries: 10 });
    expect(error?.message).toMatch(/holds 20 entries, more than the 10 allowed/);
  });

  it('refuses an entry that inflates to more than it declares (a lying central directory)', async () => {
    const content = Buffer.alloc(100_000, 7);
    const honest = await makeZip({ 'data.bin': content });
    // the uncompressed size field (100000 = 0x000186a0, little-endian) is set to 1000 in both headers
    const size = Buffer.alloc(4);
    size.writeUInt32LE(100_000);
    const small = Buffer.alloc(4);
    small.writeUInt32LE(1000);
    const { error, archive } = await extractError(patch(honest, size, small));
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toContain(archive);
  });

  it('names a file that is not a zip', async () => {
    const { error, archive } = await extractError(Buffer.from('<html>not a zip</html>'));
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toMatch(new RegExp(`^${archive.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable zip archive`));
  });
});
