import { Module } from "@heed/nn";
import * as T from "@heed/tensor-core";
import { Generator, type OpName, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { exportOnnx } from "./export.js";
import { checkExport, type Inputs } from "../test/ort.js";

/** x, y: [B, L, 4] float; ids: [B, L] int32 in [0, 4); m, n: [B, L, 4] bool. */
function make(rng: Generator) {
  return (B: number, L: number): Inputs => ({
    x: T.randn([B, L, 4], rng), y: T.randn([B, L, 4], rng), ids: T.randint(0, 4, [B, L], rng),
    m: T.greater(T.rand([B, L, 4], rng), 0.5), n: T.greater(T.rand([B, L, 4], rng), 0.5),
  });
}

type F = (i: Record<"x" | "y" | "ids" | "m" | "n", Tensor>) => Tensor;
const w = T.randn([4, 3], new Generator(99));

/** Every primitive with the forwards that exercise it; the table is exhaustive over OpName. */
const CASES: { [P in OpName]: Record<string, F> | "unmappable" } = {
  neg: { neg: ({ x }) => T.neg(x) }, abs: { abs: ({ x }) => T.abs(x) }, sign: { sign: ({ x }) => T.sign(x) },
  exp: { exp: ({ x }) => T.exp(x), "exp of int": ({ ids }) => T.exp(ids) }, log: { log: ({ x }) => T.log(T.add(T.abs(x), 1)) },
  sqrt: { sqrt: ({ x }) => T.sqrt(T.abs(x)) }, rsqrt: { rsqrt: ({ x }) => T.rsqrt(T.add(T.abs(x), 1)) },
  sin: { sin: ({ x }) => T.sin(x) }, cos: { cos: ({ x }) => T.cos(x) }, tanh: { tanh: ({ x }) => T.tanh(x) },
  sigmoid: { sigmoid: ({ x }) => T.sigmoid(x) }, relu: { relu: ({ x }) => T.relu(x) }, erf: { erf: ({ x }) => T.erf(x) },
  floor: { floor: ({ x }) => T.floor(T.mul(x, 3)) },
  gelu: { "gelu exact": ({ x }) => T.gelu(x), "gelu tanh": ({ x }) => T.gelu(x, { approximate: "tanh" }) },
  clamp: { "clamp both": ({ x }) => T.clamp(x, -0.5, 0.5), "clamp min": ({ x }) => T.clamp(x, 0) },
  cast: { "cast to int32": ({ x }) => T.cast(T.mul(x, 3), "int32"), "cast to float64": ({ x }) => T.cast(x, "float64") },
  isNaN: { isNaN: ({ x }) => T.isNaN(T.log(x)) }, isFinite: { isFinite: ({ x }) => T.isFinite(T.div(1, T.floor(x))) },
  logicalNot: { logicalNot: ({ m }) => T.logicalNot(m) },
  add: { add: ({ x, y }) => T.add(x, y), "add broadcast": ({ x }) => T.add(x, T.tensor([1, 2, 3, 4])) },
  sub: { sub: ({ x, y }) => T.sub(x, y) }, mul: { mul: ({ x, y }) => T.mul(x, y) }, div: { div: ({ x, y }) => T.div(x, T.add(T.abs(y), 1)) },
  pow: { pow: ({ x, y }) => T.pow(T.add(T.abs(x), 0.5), y) }, maximum: { maximum: ({ x, y }) => T.maximum(x, y) }, minimum: { minimum: ({ x, y }) => T.minimum(x, y) },
  equal: { equal: ({ ids }) => T.equal(ids, 2) }, notEqual: { notEqual: ({ ids }) => T.notEqual(ids, 2) },
  less: { less: ({ x, y }) => T.less(x, y) }, lessEqual: { lessEqual: ({ ids }) => T.lessEqual(ids, 1) },
  greater: { "greater int vs float": ({ ids, x }) => T.greater(T.reshape(ids, [...ids.shape, 1]), x) }, greaterEqual: { greaterEqual: ({ x }) => T.greaterEqual(x, 0) },
  logicalAnd: { logicalAnd: ({ m, n }) => T.logicalAnd(m, n) }, logicalOr: { logicalOr: ({ m, n }) => T.logicalOr(m, n) }, logicalXor: { logicalXor: ({ m, n }) => T.logicalXor(m, n) },
  where: { where: ({ m, x, y }) => T.where(m, x, y), maskedFill: ({ m, x }) => T.maskedFill(x, m, -1) },
  reluGrad: "unmappable",
  sum: { "sum keepDims": ({ x }) => T.sum(x, [1], true), sum: ({ x }) => T.sum(x, [0, 2]), "sum of bool": ({ m }) => T.sum(m, [2]) },
  max: { max: ({ x }) => T.max(x, [2]) }, min: { min: ({ x }) => T.min(x, [1], true) },
  argmax: { argmax: ({ x }) => T.argmax(x, 2) }, argmin: { argmin: ({ x }) => T.argmin(x, 1, true) },
  reshape: { "reshape merge": ({ x }) => T.reshape(x, [x.shape[0]!, -1]), "reshape rows": ({ x }) => T.reshape(T.reshape(x, [-1, 2]), x.shape) },
  permute: { permute: ({ x }) => T.permute(x, [2, 0, 1]) },
  expand: { expand: ({ x }) => T.expand(T.slice(x, [0, 0, 0], [null, null, 1]), x.shape) },
  slice: { "slice last row": ({ x }) => T.slice(x, [0, -1]), "slice columns": ({ x }) => T.slice(x, [0, 0, 1], [null, null, 3]) },
  concat: { "concat along seq": ({ x, y }) => T.concat([x, y], 1) },
  pad: { pad: ({ x }) => T.pad(x, [[0, 0], [1, 2], [0, 1]], 0.5) },
  gather: { "gather rows by ids": ({ ids }) => T.gather(w, ids, 0) },
  scatterAdd: "unmappable",
  matmul: {
    "matmul by weight": ({ x }) => T.matmul(x, w), "matmul transB": ({ x, y }) => T.matmul(x, y, { transB: true }),
    "matmul transA": ({ x, y }) => T.matmul(x, y, { transA: true }),
  },
  softmax: { softmax: ({ x }) => T.softmax(x, -1) }, logSoftmax: { logSoftmax: ({ x }) => T.logSoftmax(x, 1) },
};

/** A module with no parameters; each case runs its own forward. */
class Plain extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

describe("exportOnnx: every primitive (ORT vs Heed at 2 batch sizes × 2 lengths, optimisation 0 and 99)", () => {
  for (const [op, cases] of Object.entries(CASES)) {
    if (cases === "unmappable") continue;
    for (const [name, f] of Object.entries(cases)) {
      it(`${op}: ${name}`, async () => {
        const rng = new Generator(op.length * 31 + name.length);
        await checkExport(new Plain(), make(rng), { forward: (i) => f(i), dynamicAxes: { x: ["batch", "seq", null], y: ["batch", "seq", null], ids: ["batch", "seq"], m: ["batch", "seq", null], n: ["batch", "seq", null] } });
      });
    }
  }
});

describe("exportOnnx errors", () => {
  it("names the op and the module path of an op it cannot map", () => {
    class Act extends Module {
      forward(x: Tensor): Tensor {
        return T.reluGrad(x, x);
      }
    }
    class Outer extends Module {
      readonly act = this.registerModule("act", new Act());
      forward(x: Tensor): Tensor {
        return this.act.forward(T.add(x, 1));
      }
    }
    expect(() => exportOnnx(new Outer(), { x: T.randn([2, 3, 4], new Generator(0)) })).toThrow(
      "exportOnnx: cannot export op 'reluGrad' (inputs: [2,3,4], [2,3,4]; output: [2,3,4]) in module 'act': it has no ONNX mapping",
    );
  });
});
