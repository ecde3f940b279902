// The module that gives the global scope the deployment's env, for projects compiled without
// @cloudflare/workers-types. The `.wasm` and `.onnx` rules of wrangler.toml are declared by the
// generated worker-configuration.d.ts.
declare module 'cloudflare:workers' {
  /** The worker's bindings and vars, readable while the global scope runs. */
  export const env: Cloudflare.Env;
}
