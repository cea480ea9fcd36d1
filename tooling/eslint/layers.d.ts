export declare const LAYERS: Record<string, string[]>;
export declare const ALL: string[];
