// Modules that wrangler's rules (wrangler.toml) and the vitest plugin turn into values.
declare module '*.wasm' {
  /** CompiledWasm rule: compiled at build time, instantiable where codegen is forbidden. */
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.onnx' {
  /** Data rule: the file's bytes. */
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module 'cloudflare:workers' {
  /** The worker's bindings and vars, readable while the global scope runs. */
  export const env: Record<string, unknown>;
}
