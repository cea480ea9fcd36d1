import { afterAll, describe, expect, it } from "vitest";
import { fusedKernelFor, getBackend, setBackend } from "../backend/registry.js";
import { randn } from "../create.js";
import { add, mul } from "../ops/elementwise/index.js";
import { gather, scatterAdd, slice } from "../ops/movement/index.js";
import { generator } from "../random.js";
import { Tensor } from "../tensor.js";
import { embeddingPositionsBackwardReference, embeddingPositionsForwardReference } from "./embedding-positions.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe.each(["js", "wasm"])("embeddingPositions kernels (reference) vs gather, mul, add, dropout, scatterAdd on %s", (backend) => {
  const [V, E, B, L, maxLen] = [9, 12, 3, 5, 11];
  const ids = Int32Array.from({ length: B * L }, (_, i) => (i * 7 + 3) % V);
  const idsT = new Tensor(ids, [B * L], "int32");
  for (const dtype of ["float32", "float64"] as const) {
    const W = randn([V, E], generator(1), dtype);
    const P = randn([maxLen, E], generator(2), dtype);
    const g = randn([B * L, E], generator(3), dtype);
    it(`${dtype}: same bits, forward and backward, with and without dropout, positions and padding`, () => {
      setBackend(backend);
      for (const [p, offset, withPos, pad] of [[0, 0, true, -1], [0.3, 2, true, 4], [0.5, 0, false, 0]] as const) {
        const scale = Math.sqrt(E);
        // the composition: rows [B, L, E], positions [L, E] broadcast over B
        let h = mul(gather(W, new Tensor(ids, [B, L], "int32"), 0), scale);
        if (withPos) h = add(h, slice(P, [offset], [offset + L]));
        const want = p > 0 ? fusedKernelFor("dropout")({ x: h.data as Float32Array, p, seed: 5 }) : h.data;
        const got = embeddingPositionsForwardReference({ weight: W.data as Float32Array, ids, E, L, positions: withPos ? (P.data as Float32Array) : null, offset, scale, p, seed: 5 });
        expect(got).toBeInstanceOf(dtype === "float32" ? Float32Array : Float64Array);
        expect([...got]).toEqual([...want]);
        const gd = p > 0 ? new Tensor(fusedKernelFor("dropout")({ x: g.data as Float32Array, p, seed: 5 }), g.shape, dtype) : g;
        const dW = scatterAdd(mul(gd, scale), idsT, 0, V).data;
        if (pad >= 0) dW.fill(0, pad * E, (pad + 1) * E);
        const gotB = embeddingPositionsBackwardReference({ gradOut: g.data as Float32Array, ids, V, E, scale, p, seed: 5, paddingIdx: pad });
        expect([...gotB]).toEqual([...dW]);
      }
    });
  }
});
