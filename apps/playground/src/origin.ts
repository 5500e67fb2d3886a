// Which slot a person's model goes to: a packed bundle (manifest.json) runs in the binary worker (wasm/cpu, where
// the XNOR kernel is), a run folder (run.json) in the float worker (the picked backend).
import type { Slot } from './protocol.js';

export const PICK_HELP =
  'Pick all files of a run folder (run.json, model.json, weights.bin; config.json too if there is one) or of a packed bundle (manifest.json, model.json, weights.bin).';

/** The slot for picked files, or an explanation of what is missing. */
export function slotForFiles(names: readonly string[]): { slot: Slot } | { error: string } {
  const has = (name: string) => names.includes(name);
  if (has('manifest.json')) return { slot: 'binary' };
  if (has('run.json')) return { slot: 'float' };
  const got = names.length ? names.join(', ') : 'no files';
  return { error: `Neither manifest.json nor run.json among the chosen files (${got}). ${PICK_HELP}` };
}

/** The slot for a folder URL: binary when it serves a manifest.json object, else float (the loader then says what is wrong). */
export async function slotForUrl(folder: string, fetcher: typeof fetch = fetch): Promise<Slot> {
  try {
    const res = await fetcher(new URL('manifest.json', folder.endsWith('/') ? folder : `${folder}/`));
    if (!res.ok) return 'float';
    return (await res.text()).trimStart().startsWith('{') ? 'binary' : 'float';
  } catch {
    return 'float';
  }
}

/** A folder URL typed by a person or named in the page address, made absolute against the page. */
export function absoluteFolderUrl(url: string, base: string): string {
  const absolute = new URL(url.trim(), base).href;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}
