import config from "@heed/eslint-config";
export default config;
