import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where the e2e builds go: FIELDSCOPE_E2E_DIR (default dist) and the same name + '-update' (the "new version" for the
 * update-prompt test). Concurrent e2e runs each need their own directory and FIELDSCOPE_E2E_PORT.
 */
export const E2E_BUILD_DIR = `${repo}${process.env.FIELDSCOPE_E2E_DIR ?? 'dist'}`;
export const E2E_UPDATE_BUILD_DIR = `${E2E_BUILD_DIR}-update`;
