// The backend picker's choices and memory. Pure apart from the Storage handed in, so it is tested directly.
import type { BackendName } from './protocol.js';

export const BACKEND_KEY = 'sketch-xnor.playground.backend';
export const DEFAULT_BACKEND: BackendName = 'wasm';

/** Backends this browser can offer: WebGPU only where navigator.gpu exists. */
export function availableBackends(hasWebGpu: boolean): BackendName[] {
  return hasWebGpu ? ['wasm', 'webgl', 'webgpu', 'cpu'] : ['wasm', 'webgl', 'cpu'];
}

/** The remembered backend when this browser still offers it, else the default. Storage may throw (privacy modes). */
export function storedBackend(storage: Pick<Storage, 'getItem'> | undefined, available: readonly BackendName[]): BackendName {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(BACKEND_KEY) ?? null;
  } catch {
    saved = null;
  }
  return available.includes(saved as BackendName) ? (saved as BackendName) : DEFAULT_BACKEND;
}

export function rememberBackend(storage: Pick<Storage, 'setItem'> | undefined, backend: BackendName): void {
  try {
    storage?.setItem(BACKEND_KEY, backend);
  } catch {
    // storage full or disabled: the choice lasts this visit only
  }
}

/**
 * The binary model's XNOR kernel exists on cpu, wasm and webgpu (the WGSL one): it follows the pick there, and uses
 * wasm on webgl.
 */
export function binaryBackendFor(picked: BackendName): BackendName {
  return picked === 'webgl' ? 'wasm' : picked;
}

/**
 * What the picker shows after the float worker answered a switch: the backend it runs on when that is one the
 * picker offers (a failed switch leaves it on the one before), else the pick itself.
 */
export function pickerValueAfterSwitch(picked: BackendName, active: string, offered: readonly BackendName[]): BackendName {
  return offered.includes(active as BackendName) ? (active as BackendName) : picked;
}

/** Models named in the page address (?float=<url>&binary=<url>) override the defaults; relative to the page. */
export function modelUrlsFrom(search: string, defaults: { float: string; binary: string }): { float: string; binary: string } {
  const params = new URLSearchParams(search);
  return { float: params.get('float') || defaults.float, binary: params.get('binary') || defaults.binary };
}

export function formatPercent(score: number): string {
  const percent = score * 100;
  return percent >= 9.95 ? `${percent.toFixed(0)}%` : `${percent.toFixed(1)}%`;
}
