// The workerd modules worker tests import. Declared here, narrowly, instead of adding
// @cloudflare/workers-types to the root tsconfig, whose globals clash with the DOM and Node types.
declare module 'cloudflare:workers' {
  /** The main worker's exports, callable from tests (replaces cloudflare:test's SELF). */
  export const exports: {
    default: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  };
}
