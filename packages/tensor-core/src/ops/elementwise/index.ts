export { neg, abs, sign, exp, log, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, erf, floor, isNaN, isFinite } from "./unary.js";
export { add, sub, mul, div, pow, maximum, minimum } from "./binary.js";
export { equal, notEqual, less, lessEqual, greater, greaterEqual } from "./compare.js";
export { logicalAnd, logicalOr, logicalXor, logicalNot } from "./logical.js";
export { where, maskedFill } from "./where.js";
export { gelu, type GeluOptions } from "./gelu.js";
export { clamp } from "./clamp.js";
export { cast } from "./cast.js";
export { square, reciprocal } from "./composite.js";
