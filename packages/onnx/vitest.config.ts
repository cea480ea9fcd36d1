import { base } from "@heed/vitest-config";
export default base;
