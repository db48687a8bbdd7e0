"""Import and run every bundled model: seconds, constant bytes, bit-exactness.

Targets (issue 6): import <= 1 s and one inference <= 1 s per model, including
the largest (keyword_spotting_mobilenetv2). Bit-exact means every output equals
LiteRT's BUILTIN_REF kernels on the same seeded random input.

    python bench/importer.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

from tirconst.dialects import tir
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import Program, random_inputs

MODELS = Path(__file__).resolve().parent.parent / "models"


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def litert_outputs(path: Path, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
    interp = Interpreter(
        model_path=str(path), experimental_op_resolver_type=OpResolverType.BUILTIN_REF
    )
    interp.allocate_tensors()
    for i, d in enumerate(interp.get_input_details()):
        interp.set_tensor(d["index"], inputs[f"input{i}"])
    interp.invoke()
    return [interp.get_tensor(d["index"]) for d in interp.get_output_details()]


def main() -> None:
    print(
        "| model | import s | first run s (compile + run) | inference s "
        "| constant bytes | bit-exact |"
    )
    print("|---|---|---|---|---|---|")
    for path in sorted(MODELS.glob("*.tflite")):
        t_import, module = best_of(lambda p=path: import_tflite(p))
        consts = sum(
            len(c.value.data.data) for c in module.ops if isinstance(c, tir.ConstantOp)
        )
        inputs = {
            k: v
            for k, v in random_inputs(module, seed=0).items()
            if k.startswith("input")
        }
        program = Program(module)
        start = time.perf_counter()
        fn = program.function("main")
        fn(inputs)
        t_first = time.perf_counter() - start
        t_run, outputs = best_of(lambda f=fn, x=inputs: f(x))
        expected = litert_outputs(path, inputs)
        exact = all(
            np.array_equal(outputs[f"output{i}"], e) for i, e in enumerate(expected)
        )
        print(
            f"| {path.stem} | {t_import:.3f} | {t_first:.3f} | {t_run:.3f} "
            f"| {consts:,} | {'yes' if exact else 'NO'} |"
        )


if __name__ == "__main__":
    main()
