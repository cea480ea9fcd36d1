import type { UserWorkspaceConfig } from "vitest/config";
export declare const base: UserWorkspaceConfig;
export default base;
