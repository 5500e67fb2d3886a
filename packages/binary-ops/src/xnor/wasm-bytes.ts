// The kernels' WebAssembly modules are committed as base64 (scripts/build-wasm.mjs) so they load synchronously.

/** The bytes of a base64-encoded module. */
export function decodeWasm(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** An instance of a base64-encoded module (small modules compile synchronously in Node and browsers alike). */
export function instantiateWasm(base64: string, imports: WebAssembly.Imports = {}): WebAssembly.Instance {
  return new WebAssembly.Instance(new WebAssembly.Module(decodeWasm(base64)), imports);
}
