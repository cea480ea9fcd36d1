/**
 * The chainable op methods of `Tensor` (PyTorch style: `x.matmul(w).add(b).relu()`); each is
 * the public op of the same name with the tensor as its first argument. tensor.ts declares them
 * on the class (declaration merging, a type-only import of `TensorMethods`) and this module
 * attaches them to its prototype, at the package entry point (index.ts imports this module and exports `Tensor` from it), so that tensor.ts imports
 * no op and the ops, kernels and the Tensor class form no import cycle.
 */
import * as E from "./ops/elementwise/index.js";
import * as L from "./ops/linalg/index.js";
import * as M from "./ops/movement/index.js";
import * as R from "./ops/reduce/index.js";
import { Tensor } from "./tensor.js";

type Rest<F> = F extends (first: Tensor, ...rest: infer A) => unknown ? A : never;

/** The chainable methods; each forwards to the public op of the same name. */
export interface TensorMethods {
  add(b: Tensor | number): Tensor;
  sub(b: Tensor | number): Tensor;
  mul(b: Tensor | number): Tensor;
  div(b: Tensor | number): Tensor;
  pow(b: Tensor | number): Tensor;
  maximum(b: Tensor | number): Tensor;
  minimum(b: Tensor | number): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  rsqrt(): Tensor;
  square(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  gelu(...a: Rest<typeof E.gelu>): Tensor;
  clamp(...a: Rest<typeof E.clamp>): Tensor;
  cast(...a: Rest<typeof E.cast>): Tensor;
  equal(b: Tensor | number | boolean): Tensor;
  notEqual(b: Tensor | number | boolean): Tensor;
  less(b: Tensor | number): Tensor;
  lessEqual(b: Tensor | number): Tensor;
  greater(b: Tensor | number): Tensor;
  greaterEqual(b: Tensor | number): Tensor;
  logicalNot(): Tensor;
  maskedFill(...a: Rest<typeof E.maskedFill>): Tensor;
  matmul(...a: Rest<typeof L.matmul>): Tensor;
  sum(...a: Rest<typeof R.sum>): Tensor;
  mean(...a: Rest<typeof R.mean>): Tensor;
  max(...a: Rest<typeof R.max>): Tensor;
  min(...a: Rest<typeof R.min>): Tensor;
  argmax(...a: Rest<typeof R.argmax>): Tensor;
  argmin(...a: Rest<typeof R.argmin>): Tensor;
  variance(...a: Rest<typeof R.variance>): Tensor;
  std(...a: Rest<typeof R.std>): Tensor;
  logSumExp(...a: Rest<typeof R.logSumExp>): Tensor;
  softmax(...a: Rest<typeof R.softmax>): Tensor;
  logSoftmax(...a: Rest<typeof R.logSoftmax>): Tensor;
  reshape(...a: Rest<typeof M.reshape>): Tensor;
  flatten(...a: Rest<typeof M.flatten>): Tensor;
  squeeze(...a: Rest<typeof M.squeeze>): Tensor;
  unsqueeze(...a: Rest<typeof M.unsqueeze>): Tensor;
  permute(...a: Rest<typeof M.permute>): Tensor;
  transpose(...a: Rest<typeof M.transpose>): Tensor;
  expand(...a: Rest<typeof M.expand>): Tensor;
  slice(...a: Rest<typeof M.slice>): Tensor;
  gather(...a: Rest<typeof M.gather>): Tensor;
  pad(...a: Rest<typeof M.pad>): Tensor;
  tril(...a: Rest<typeof M.tril>): Tensor;
  triu(...a: Rest<typeof M.triu>): Tensor;
}

const methods: TensorMethods & ThisType<Tensor> = {
  add(b) { return E.add(this, b); },
  sub(b) { return E.sub(this, b); },
  mul(b) { return E.mul(this, b); },
  div(b) { return E.div(this, b); },
  pow(b) { return E.pow(this, b); },
  maximum(b) { return E.maximum(this, b); },
  minimum(b) { return E.minimum(this, b); },
  neg() { return E.neg(this); },
  abs() { return E.abs(this); },
  exp() { return E.exp(this); },
  log() { return E.log(this); },
  sqrt() { return E.sqrt(this); },
  rsqrt() { return E.rsqrt(this); },
  square() { return E.square(this); },
  tanh() { return E.tanh(this); },
  sigmoid() { return E.sigmoid(this); },
  relu() { return E.relu(this); },
  gelu(...a) { return E.gelu(this, ...a); },
  clamp(...a) { return E.clamp(this, ...a); },
  cast(...a) { return E.cast(this, ...a); },
  equal(b) { return E.equal(this, b); },
  notEqual(b) { return E.notEqual(this, b); },
  less(b) { return E.less(this, b); },
  lessEqual(b) { return E.lessEqual(this, b); },
  greater(b) { return E.greater(this, b); },
  greaterEqual(b) { return E.greaterEqual(this, b); },
  logicalNot() { return E.logicalNot(this); },
  maskedFill(...a) { return E.maskedFill(this, ...a); },
  matmul(...a) { return L.matmul(this, ...a); },
  sum(...a) { return R.sum(this, ...a); },
  mean(...a) { return R.mean(this, ...a); },
  max(...a) { return R.max(this, ...a); },
  min(...a) { return R.min(this, ...a); },
  argmax(...a) { return R.argmax(this, ...a); },
  argmin(...a) { return R.argmin(this, ...a); },
  variance(...a) { return R.variance(this, ...a); },
  std(...a) { return R.std(this, ...a); },
  logSumExp(...a) { return R.logSumExp(this, ...a); },
  softmax(...a) { return R.softmax(this, ...a); },
  logSoftmax(...a) { return R.logSoftmax(this, ...a); },
  reshape(...a) { return M.reshape(this, ...a); },
  flatten(...a) { return M.flatten(this, ...a); },
  squeeze(...a) { return M.squeeze(this, ...a); },
  unsqueeze(...a) { return M.unsqueeze(this, ...a); },
  permute(...a) { return M.permute(this, ...a); },
  transpose(...a) { return M.transpose(this, ...a); },
  expand(...a) { return M.expand(this, ...a); },
  slice(...a) { return M.slice(this, ...a); },
  gather(...a) { return M.gather(this, ...a); },
  pad(...a) { return M.pad(this, ...a); },
  tril(...a) { return M.tril(this, ...a); },
  triu(...a) { return M.triu(this, ...a); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

export { Tensor };
