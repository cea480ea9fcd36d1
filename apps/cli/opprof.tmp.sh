#!/bin/bash
D=/work/main/packages/tensor-core/dist
rm -f $D/index.js.instr.js
python3 /work/main/apps/cli/instr.tmp.py && cp $D/index.js /tmp/tc-orig.js && cp $D/index.js.instr.js $D/index.js
node /work/main/apps/cli/opprof.tmp.mjs ${1:-4} ${2:-30}
cp /tmp/tc-orig.js $D/index.js; rm -f $D/index.js.instr.js
