export declare function tsBlocks(markdown: string): { heading: string; code: string }[];
export declare function runReadmeExamples(
  readmeUrl: URL,
  packageUrl: URL,
  options?: { check?: (index: number, module: Record<string, unknown>) => void | Promise<void> },
): void;
