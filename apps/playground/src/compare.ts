// What the page says about the two models side by side: how much smaller and how much faster the binary one is
// (sizes as downloaded, latencies as measured in this page), and the categories they know. Pure, tested directly.

/** "16.2x" for ratios under 100, "140x" above. */
export function formatRatio(ratio: number): string {
  return ratio >= 99.95 ? `${ratio.toFixed(0)}x` : `${ratio.toFixed(1)}x`;
}

/**
 * "Binary: 14.0x smaller, 4.1x faster than float (median latency in this page)". Without latencies yet (nothing
 * drawn), the size only. The speed is the ratio of the two medians; "slower" when the binary one is.
 */
export function comparisonText(floatBytes: number, binaryBytes: number, floatMedianMs?: number, binaryMedianMs?: number): string {
  const size = binaryBytes <= floatBytes ? `${formatRatio(floatBytes / binaryBytes)} smaller` : `${formatRatio(binaryBytes / floatBytes)} larger`;
  if (!(floatMedianMs! > 0 && binaryMedianMs! > 0)) return `Binary: ${size} than float; draw to compare their speed`;
  const speed = binaryMedianMs! <= floatMedianMs! ? `${formatRatio(floatMedianMs! / binaryMedianMs!)} faster` : `${formatRatio(binaryMedianMs! / floatMedianMs!)} slower`;
  return `Binary: ${size}, ${speed} than float (median latency in this page)`;
}

/** "Knows 25 categories: apple, banana, …", one list when both models know the same ones. */
export function categoriesText(float: readonly string[] | undefined, binary: readonly string[] | undefined): string {
  const list = (names: readonly string[]) => `${names.length} ${names.length === 1 ? 'category' : 'categories'}: ${names.join(', ')}`;
  if (float && binary) {
    const same = float.length === binary.length && [...float].sort().every((name, i) => name === [...binary].sort()[i]);
    return same ? `Knows ${list(float)}` : `Float knows ${list(float)}. Binary knows ${list(binary)}`;
  }
  const one = float ?? binary;
  return one ? `Knows ${list(one)}` : '';
}
