// The programs the pack check runs in its fresh npm project.

/** Every public entry point ("name" or "name/sub") with its ESM build file (the `default` target). */
export function entries(publishable) {
  return publishable.flatMap(({ name, manifest }) =>
    Object.entries(manifest.publishConfig?.exports ?? manifest.exports)
      .filter(([sub]) => sub !== "./package.json")
      .map(([sub, target]) => ({ name, entry: sub === "." ? name : `${name}/${sub.slice(2)}`, browser: `${name}/${target.default.slice(2)}` })),
  );
}

const names = "(m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort()";

/** Per entry: an ESM probe (names under Node's import and in the ESM build) and a CJS probe (names under require). */
export function entryScripts(publishable) {
  return entries(publishable).map(({ name, entry, browser }) => ({
    name,
    entry,
    esm: `import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
const names = ${names};
const node = await import(${JSON.stringify(entry)});
// the ESM build (what browsers and bundlers get), loaded by its file
const file = createRequire(import.meta.url).resolve(${JSON.stringify(entry)}).replace(/[^/]*$/, "") + ${JSON.stringify(browser.split("/").pop())};
const esm = await import(pathToFileURL(file).href);
console.log(JSON.stringify({ node: names(node), browser: names(esm) }));
`,
    cjs: `const names = ${names};\nconsole.log(JSON.stringify(names(require(${JSON.stringify(entry)}))));\n`,
  }));
}

/** A CommonJS program that mixes require and import and checks that they share each package's state. */
export const mixingScript = `const assert = require("node:assert/strict");
const tcR = require("@heed/tensor-core");
const agR = require("@heed/autograd");
const nnR = require("@heed/nn");
(async () => {
  const tcI = await import("@heed/tensor-core");
  const nnI = await import("@heed/nn");
  const agI = await import("@heed/autograd");
  assert.equal(tcI.Tensor, tcR.Tensor);
  assert.equal(agI.grad, agR.grad);
  console.log("one Tensor class and one autograd (import === require)");
  const x = tcI.tensor([1, 2, 3]).requiresGrad_();
  tcR.sum(tcR.mul(x, x)).backward();
  assert.deepEqual(Array.from(x.grad.data), [2, 4, 6]);
  console.log("autograd engine: a tensor from import, ops and backward() from require -> grad [2, 4, 6]");
  const other = tcR.listBackends().find((b) => b !== tcI.getBackend());
  if (other !== undefined) {
    tcI.setBackend(other);
    assert.equal(tcR.getBackend(), other);
    console.log("backend registry: setBackend('" + other + "') through import is seen through require");
  }
  nnR.manualSeed(42);
  assert.equal(nnI.getDefaultGenerator(), nnR.getDefaultGenerator());
  const a = new nnI.Linear(3, 2).weight.toArray();
  nnI.manualSeed(42);
  const b = new nnR.Linear(3, 2).weight.toArray();
  assert.deepEqual(a, b);
  console.log("global seed: manualSeed through require seeds Linear through import (same weights)");
})().catch((e) => { console.error(e); process.exit(1); });
`;

const program = (publishable) => {
  const list = entries(publishable);
  return [
    ...list.map((e, i) => `import * as m${i} from ${JSON.stringify(e.entry)};`),
    `import { Generator, randn, type Tensor } from "@heed/tensor-core";`,
    `import { Linear } from "@heed/nn";`,
    `const y: Tensor = new Linear(4, 2, { rng: new Generator(0) }).forward(randn([3, 4], new Generator(1)));`,
    `export const all: unknown[] = [${list.map((_, i) => `m${i}`).join(", ")}, y.shape];`,
    "",
  ].join("\n");
};

const strict = { strict: true, noEmit: true, skipLibCheck: false, target: "ES2022", types: ["node"], noUncheckedIndexedAccess: true };

/** TypeScript projects: CommonJS (module node16 and module commonjs) and ESM (module nodenext). */
export function tsProjects(publishable) {
  const index = program(publishable);
  return [
    { dir: "ts-cjs-node16", label: "TypeScript CommonJS project (module node16)", files: { "index.ts": index, "tsconfig.json": JSON.stringify({ compilerOptions: { ...strict, module: "node16", moduleResolution: "node16" }, files: ["index.ts"] }) } },
    { dir: "ts-cjs-commonjs", label: "TypeScript CommonJS project (module commonjs)", files: { "index.ts": index, "tsconfig.json": JSON.stringify({ compilerOptions: { ...strict, module: "commonjs" }, files: ["index.ts"] }) } },
    { dir: "ts-esm", label: "TypeScript ESM project (module nodenext)", files: { "package.json": JSON.stringify({ type: "module" }), "index.ts": index, "tsconfig.json": JSON.stringify({ compilerOptions: { ...strict, module: "nodenext", moduleResolution: "nodenext" }, files: ["index.ts"] }) } },
  ];
}
