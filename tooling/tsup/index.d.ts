import type { Options } from "tsup";
export declare function heedBuild(entry: Record<string, string>, extra?: Options): Options | Options[];
