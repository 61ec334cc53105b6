/** Build id injected by vite.config.ts (`define`). */
declare const __FIELDSCOPE_BUILD__: string;
