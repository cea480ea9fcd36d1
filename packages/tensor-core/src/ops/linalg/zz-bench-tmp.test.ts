import { it } from "vitest";
import { Generator, matmul, randn, permute, softmax, sum } from "../../index.js";
it("bench", () => {
  const g = new Generator(1);
  const cases: [string, number[], number[], boolean][] = [
    ["256^3", [256, 256], [256, 256], false],
    ["attn QK^T [32,128,64]x[32,128,64]^T", [32, 128, 64], [32, 128, 64], true],
    ["attn PV [32,128,128]x[32,128,64]", [32, 128, 128], [32, 128, 64], false],
    ["proj [1024,256]x[256,768]", [1024, 256], [256, 768], false],
  ];
  for (const [name, sa, sb, tb] of cases) {
    const a = randn(sa, g), b = randn(sb, g);
    matmul(a, b, { transB: tb });
    const t0 = performance.now();
    let reps = 0;
    while (performance.now() - t0 < 700) { matmul(a, b, { transB: tb }); reps++; }
    const ms = (performance.now() - t0) / reps;
    const M = sa[sa.length - 2]!, K = sa[sa.length - 1]!, N = tb ? sb[sb.length - 2]! : sb[sb.length - 1]!;
    const batch = sa.length > 2 ? sa[0]! : 1;
    console.log(name, ms.toFixed(2), "ms", ((2 * M * N * K * batch) / ms / 1e6).toFixed(2), "GFLOP/s");
  }
  const x = randn([8, 128, 8, 64], g);
  for (const [nm, f] of [["permute BLHD->BHLD", () => permute(x, [0, 2, 1, 3])], ["permute swap last2", () => permute(x, [0, 1, 3, 2])], ["softmax last", () => softmax(x)], ["sum axis1", () => sum(x, 1)], ["sum axes 0,2", () => sum(x, [0, 2])]] as const) {
    f();
    const t0 = performance.now(); let reps = 0;
    while (performance.now() - t0 < 400) { f(); reps++; }
    console.log(nm, ((performance.now() - t0) / reps).toFixed(2), "ms for", x.size, "elements");
  }
});
