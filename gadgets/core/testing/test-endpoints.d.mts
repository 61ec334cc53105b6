import type { Plugin } from 'vite';
/** Test-only dev-server endpoints used by gadgets/core browser tests (see test-endpoints.mjs). */
export declare function gadgetTestEndpoints(): Plugin;
