export interface StaticServer {
  url: string;
  port: number;
  setRoot(root: string): void;
  stop(): Promise<void>;
}
export declare function startStaticServer(options: {
  root: string;
  host?: string;
  port?: number;
  proxies?: Record<string, string>;
}): Promise<StaticServer>;
