// Crops and flips of a square interleaved image (height x width x channels): the random crop of training and
// the 10 fixed views of testing (5 crops x 2 flips, as in Sketch-a-Net and AlexNet).

/** A crop's top-left corner and whether it is mirrored left-right. */
export interface View {
  left: number;
  top: number;
  flip: boolean;
}

/** The `cropSize` square at (left, top) of a `size` x `size` x `channels` image, mirrored when `flip`. */
export function cropView(image: Float32Array, size: number, channels: number, cropSize: number, view: View): Float32Array {
  const { left, top, flip } = view;
  if (image.length !== size * size * channels) throw new Error(`cropView: a ${size}x${size}x${channels} image needs ${size * size * channels} values, got ${image.length}`);
  if (!(cropSize >= 1 && cropSize <= size) || left < 0 || top < 0 || left + cropSize > size || top + cropSize > size) {
    throw new Error(`cropView: a ${cropSize} crop at (${left}, ${top}) does not fit a ${size} image`);
  }
  const out = new Float32Array(cropSize * cropSize * channels);
  const rowLength = cropSize * channels;
  for (let r = 0; r < cropSize; r++) {
    const from = ((top + r) * size + left) * channels;
    if (!flip) {
      out.set(image.subarray(from, from + rowLength), r * rowLength);
      continue;
    }
    for (let c = 0; c < cropSize; c++) {
      const source = from + (cropSize - 1 - c) * channels;
      const target = r * rowLength + c * channels;
      for (let k = 0; k < channels; k++) out[target + k] = image[source + k]!;
    }
  }
  return out;
}

/** The 10 test views of a `size` image: center, top-left, top-right, bottom-left, bottom-right, then the same mirrored. */
export function testViews(size: number, cropSize: number): View[] {
  if (!(cropSize >= 1 && cropSize <= size)) throw new Error(`testViews: crop size ${cropSize} does not fit image size ${size}`);
  const far = size - cropSize;
  const center = Math.floor(far / 2);
  const corners: [number, number][] = [[center, center], [0, 0], [far, 0], [0, far], [far, far]];
  return [false, true].flatMap((flip) => corners.map(([left, top]) => ({ left, top, flip })));
}

/** A uniformly random crop position and a fair coin for the mirror. */
export function randomView(size: number, cropSize: number, rng: { next(): number }, flip = true): View {
  const far = size - cropSize;
  if (far < 0) throw new Error(`randomView: crop size ${cropSize} does not fit image size ${size}`);
  const left = Math.floor(rng.next() * (far + 1));
  const top = Math.floor(rng.next() * (far + 1));
  return { left, top, flip: flip && rng.next() < 0.5 };
}
