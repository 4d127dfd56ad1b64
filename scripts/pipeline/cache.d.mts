// The types of cache.mjs (plain JavaScript, so run.mjs can use it without tsx).
export declare const KEY_INPUTS: string[];
export declare const CACHE_FILE: string;
export declare function runKey(nodeMajor?: string): string | undefined;
export declare function upToDate(key: string): boolean;
export declare function remember(key: string, outputs: Record<string, string>): void;
export declare function nothingToDo(check: boolean): string;
