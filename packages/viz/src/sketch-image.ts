// Turning a decoded picture (PNG of a sketch) into the float image the networks take: one channel,
// ink = 1 on blank paper = 0, whichever way round the picture was drawn.
import type { HwcImage, RgbaImage } from './raster.js';

export interface SketchImageOptions {
  /** 'dark': dark ink on light paper (TU-Berlin PNGs); 'light': light ink on dark; 'auto' (default) decides by the border. */
  ink?: 'auto' | 'dark' | 'light';
}

/** Luminance in [0, 1] with transparent pixels composited on white paper. */
function luminanceAt(image: RgbaImage, pixel: number): number {
  const [r, g, b, a] = [0, 1, 2, 3].map((c) => image.data[pixel * 4 + c]! / 255) as [number, number, number, number];
  return a * (0.299 * r + 0.587 * g + 0.114 * b) + (1 - a);
}

/** A one-channel HWC float image with ink = 1 (see SketchImageOptions for which pixels are ink). */
export function sketchImageFromRgba(image: RgbaImage, options: SketchImageOptions = {}): HwcImage {
  const { width, height } = image;
  const luminance = new Float32Array(width * height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = luminanceAt(image, i);
  let ink = options.ink ?? 'auto';
  if (ink === 'auto') {
    // The border is mostly paper: a light border means dark ink.
    let sum = 0;
    let count = 0;
    for (let x = 0; x < width; x++) { sum += luminance[x]! + luminance[(height - 1) * width + x]!; count += 2; }
    for (let y = 0; y < height; y++) { sum += luminance[y * width]! + luminance[y * width + width - 1]!; count += 2; }
    ink = sum / count >= 0.5 ? 'dark' : 'light';
  }
  const data = ink === 'dark' ? luminance.map((v) => 1 - v) : luminance;
  return { height, width, channels: 1, data };
}
