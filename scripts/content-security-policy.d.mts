import type { Plugin } from 'vite';
export declare const SANDBOX_PAGES: string[];
export declare const KERNEL_PAGES: string[];
export declare function pagePolicy(path: string): string;
export declare function headerPolicy(path: string): string;
export declare function contentSecurityPolicy(): Plugin;
