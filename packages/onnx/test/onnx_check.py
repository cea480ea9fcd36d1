"""ONNX's own checker with full shape inference on each file given: `python3 onnx_check.py a.onnx ...`.
Prints `ok <file>` per file, or the checker's error and exits 1."""
import sys

import onnx

failed = False
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True, data_prop=True)
        print(f"ok {path}")
    except Exception as e:  # noqa: BLE001 - report every checker failure the same way
        failed = True
        print(f"FAIL {path}: {type(e).__name__}: {e}")
sys.exit(1 if failed else 0)
