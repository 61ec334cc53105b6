import type { Plugin } from 'vite';
export declare function measureInitialJs(outDir: string): { files: { file: string; gzipBytes: number }[]; totalGzipBytes: number };
export declare function initialJsReport(): Plugin;
