import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import { ALL, LAYERS } from "./layers.js";

const NODE_BUILTINS = ["fs", "path", "os", "url", "worker_threads", "child_process", "crypto", "util", "stream", "process", "buffer", "module"];

/** Deep imports into another package's sources are never allowed. */
const deepImports = {
  group: ["@heed/*/src", "@heed/*/src/**", "**/packages/*/src/**", "../../*/src/**"],
  message: "Import another Heed package by its name (its exports map is the public API), never its src/.",
};

const builtinPaths = NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({
  name,
  message: "Core packages run in browsers: no Node built-ins outside src/node/ or *.node.ts entry points.",
}));

/**
 * Per package: forbid imports of packages above or beside it (all files), and Node
 * built-ins in its browser-safe sources (src/ minus tests and Node-only entry points).
 * Flat config replaces a rule instead of merging it, so the source block repeats the layer list.
 */
const layerBlocks = ALL.flatMap((pkg) => {
  const allowed = new Set(LAYERS[pkg]);
  const forbidden = ALL.filter((p) => p !== pkg && !allowed.has(p)).map((p) => `@heed/${p}`);
  forbidden.push("heed", "@heed/bench");
  const allowedText = LAYERS[pkg].length ? LAYERS[pkg].map((p) => "@heed/" + p).join(", ") : "no other Heed package";
  const layerPaths = forbidden.map((name) => ({
    name,
    message: `Layer violation: @heed/${pkg} may import ${allowedText} (dependencies point down).`,
  }));
  const patterns = [
    deepImports,
    { group: forbidden.map((n) => `${n}/*`), message: `Layer violation: @heed/${pkg} may not import a higher or sibling layer.` },
  ];
  return [
    { files: [`packages/${pkg}/**/*.ts`], rules: { "no-restricted-imports": ["error", { paths: layerPaths, patterns }] } },
    {
      files: [`packages/${pkg}/src/**/*.ts`],
      ignores: [`packages/${pkg}/src/**/*.test.ts`, `packages/${pkg}/src/node/**`, `packages/${pkg}/src/**/*.node.ts`],
      rules: { "no-restricted-imports": ["error", { paths: [...layerPaths, ...builtinPaths], patterns }] },
    },
  ];
});

/**
 * No import cycles (import-x/no-cycle). Relative imports are followed from each file
 * (`./x.js` resolves to `./x.ts`); other packages are external (lint's layer rules already keep
 * them acyclic). Type-only imports (`import type`, or every specifier `type`) are erased at
 * compile time and so are not edges. A cycle makes module initialisation order-dependent and ties
 * files that should be separable; break it by moving the shared part into its own module.
 */
const cycleBlock = {
  files: ["**/*.ts"],
  plugins: { "import-x": importX },
  settings: {
    "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".mjs"], extensionAlias: { ".js": [".ts", ".js"] } })],
    "import-x/extensions": [".ts", ".js", ".mjs"],
    "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
  },
  rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
};

/**
 * AssemblyScript kernels (each package's assembly/ folder). They are type-checked by tsc against
 * assemblyscript's own std types (assembly/tsconfig.json) and linted here with the same rules,
 * except: function decorators (`@inline`) are AssemblyScript syntax that TypeScript's parser
 * flags as invalid (allowInvalidAST), and `<i32>x` / `<usize>x` casts change the machine type
 * although both are `number` to TypeScript (no-unnecessary-type-assertion off).
 */
const assemblyBlock = {
  files: ["packages/*/assembly/**/*.ts"],
  languageOptions: { parserOptions: { allowInvalidAST: true } },
  rules: { "@typescript-eslint/no-unnecessary-type-assertion": "off" },
};

export default defineConfig(
  globalIgnores(["**/dist/**", "**/coverage/**", "**/.turbo/**", "packages/*/wasm/**", "**/generated/**", "**/results/**", "**/.exp-dist/**", "**/.lint-probe-*/**", "**/.readme-tmp/**"]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, parserOptions: { projectService: true } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [deepImports] }],
      // Small files: most under ~150 lines, none over 400 (counting every line).
      "max-lines": ["error", { max: 400 }],
    },
  },
  ...layerBlocks,
  cycleBlock,
  assemblyBlock,
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], extends: [tseslint.configs.disableTypeChecked] },
);
