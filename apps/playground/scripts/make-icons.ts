// Writes the home-screen icons (public/icons/icon-192.png, icon-512.png, icon.svg): a sketched star on the accent
// color, drawn by the project's own rasterizer. Run: npx tsx apps/playground/scripts/make-icons.ts
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { rasterize, type Stroke } from '@sketch-xnor/data';

const ACCENT = [29, 78, 216];
const STAR: Array<[number, number]> = [[50, 8], [62, 38], [94, 40], [69, 60], [78, 92], [50, 74], [22, 92], [31, 60], [6, 40], [38, 38], [50, 8]];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG: the star's ink blended white over the accent color. */
function iconPng(size: number): Buffer {
  const stroke: Stroke = { x: Float32Array.from(STAR, (p) => p[0]), y: Float32Array.from(STAR, (p) => p[1]) };
  // the margin keeps the star inside the maskable safe zone (the center 80%)
  const ink = rasterize([stroke], { size, lineWidth: size / 18, margin: size * 0.2 }).data;
  const rows = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = ink[y * size + x]!;
      for (let c = 0; c < 3; c++) rows[y * (size * 3 + 1) + 1 + x * 3 + c] = Math.round(ACCENT[c]! * (1 - v) + 255 * v);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array())]);
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="rgb(${ACCENT.join(',')})"/><polyline points="${STAR.map(([x, y]) => `${20 + x * 0.6},${20 + y * 0.6}`).join(' ')}" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/></svg>\n`;

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), iconPng(192));
writeFileSync(new URL('icon-512.png', out), iconPng(512));
writeFileSync(new URL('icon.svg', out), svg);
