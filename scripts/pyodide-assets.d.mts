import type { Plugin } from 'vite';
export const PYODIDE_FILES: string[];
export function pyodideAssets(): Plugin;
