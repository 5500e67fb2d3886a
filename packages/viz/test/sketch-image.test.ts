import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRgba, decodePng, encodePng, sketchImageFromRgba } from '@sketch-xnor/viz';

const shared = process.env.SKETCH_XNOR_SHARED ?? resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared');

describe('sketchImageFromRgba', () => {
  it('turns dark ink on white paper into ink = 1 on 0, and light ink on black the same way', () => {
    const paper = createRgba(4, 4, [255, 255, 255]);
    paper.data.set([0, 0, 0, 255], (1 * 4 + 2) * 4);
    const image = sketchImageFromRgba(decodePng(encodePng(paper)));
    expect(image.data[1 * 4 + 2]).toBe(1);
    expect(image.data[0]).toBe(0);
    const night = createRgba(4, 4, [0, 0, 0]);
    night.data.set([255, 255, 255, 255], 5 * 4);
    expect(sketchImageFromRgba(night).data[5]).toBe(1);
    expect(sketchImageFromRgba(night, { ink: 'dark' }).data[5]).toBe(0);
  });

  it('treats transparent pixels as paper', () => {
    const clear = { width: 2, height: 1, data: new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255]) };
    expect(Array.from(sketchImageFromRgba(clear, { ink: 'dark' }).data)).toEqual([0, 1]);
  });

  it('reads a real TU-Berlin PNG as sparse ink', (context) => {
    const file = resolve(shared, 'data/tu-berlin-png-40');
    if (!existsSync(file)) return context.skip(`no shared data at ${file}`);
    const category = 'bicycle';
    const path = resolve(file, category, readdirFirst(resolve(file, category)));
    const image = sketchImageFromRgba(decodePng(readFileSync(path), path));
    const mean = image.data.reduce((a, b) => a + b, 0) / image.data.length;
    expect([image.width, image.height]).toEqual([150, 150]);
    expect(mean).toBeGreaterThan(0.005);
    expect(mean).toBeLessThan(0.3);
  });

  it('names the file when the PNG is unreadable', () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]), 'sketches/bad.png')).toThrow(/sketches\/bad\.png: unreadable PNG/);
    // a 30000x30000 header with a little pixel data: refused from the header, before anything is inflated
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(12 + data.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), 8 + data.length);
      return out;
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(30000, 0);
    header.writeUInt32BE(30000, 4);
    header[8] = 8; // 8-bit gray
    const bomb = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(30001 * 10))), chunk('IEND', Buffer.alloc(0))]);
    expect(() => decodePng(bomb, 'bomb.png')).toThrow(/bomb\.png: unreadable PNG \(.*30000x30000/);
  });
});

function readdirFirst(dir: string): string {
  return readdirSync(dir).filter((name) => name.endsWith('.png')).sort()[0]!;
}
