p='/work/main/packages/tensor-core/dist/index.js'; s=open(p).read()
if "__opT" not in s:
  s=s.replace("""function run(op, inputs, attrs) {
  const out = kernelFor(op)(inputs, attrs);""","""globalThis.__opT ??= new Map();
function run(op, inputs, attrs) {
  const __t0 = performance.now();
  const out = kernelFor(op)(inputs, attrs);
  const __k = (op === "matmul" ? inputs.map(t=>t.shape.join("x")).join(",") + " " : "") + op + (attrs && attrs.transA ? "T" : "") + (attrs && attrs.transB ? "t" : "") + (inputs.some(t=>t.requiresGrad) ? "" : "*");
  const __e = globalThis.__opT.get(__k) ?? [0,0,0]; __e[0] += performance.now() - __t0; __e[1]++; __e[2] += out.size; globalThis.__opT.set(__k, __e);""")
  open(p+'.instr.js','w').write(s)
