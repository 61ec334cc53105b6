import type { Plugin } from 'vite';
/** Answers module-script requests from sandboxed gadget iframes (opaque origin) with CORS headers. */
export declare function gadgetSandboxes(): Plugin;
