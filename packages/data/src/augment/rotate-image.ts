// Rotation of a rendered square (size x size x channels, channel-interleaved) about its center, by bilinear
// sampling of the inverse map; what falls outside is background (0). Pure arithmetic, so Node, workers and
// browsers give the same bytes. The sense matches the stroke rotation: a positive angle turns +x towards +y.

/** `image` turned by `angle` radians about the center of the square; an angle of 0 is an exact copy. */
export function rotateImage(image: Float32Array, size: number, channels: number, angle: number): Float32Array {
  if (image.length !== size * size * channels) {
    throw new Error(`rotateImage: a ${size}x${size}x${channels} image needs ${size * size * channels} values, got ${image.length}`);
  }
  if (angle === 0) return image.slice();
  const out = new Float32Array(image.length);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const center = size / 2;
  for (let y = 0; y < size; y++) {
    const dy = y + 0.5 - center;
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - center;
      // where the output pixel's center came from, in pixel-index coordinates
      const sx = center + cos * dx + sin * dy - 0.5;
      const sy = center - sin * dx + cos * dy - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= size || y0 >= size) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const at = (y * size + x) * channels;
      for (let c = 0; c < channels; c++) {
        const pixel = (px: number, py: number) => (px < 0 || py < 0 || px >= size || py >= size ? 0 : image[(py * size + px) * channels + c]!);
        const top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx;
        const bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx;
        out[at + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}
