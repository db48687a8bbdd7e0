"""The reference interpreter for the `tir` dialect.

    from tirconst.interpreter import run_function, check_equivalent
    outputs = run_function(module_text, {"input0": x})   # name -> np.ndarray
    check_equivalent(before_text, after_text)           # or NotEquivalentError

Each `tir.func` is compiled once into Python (see `compile`), with TIR's
integer semantics (`scalar`), buffers with init tracking and flat-memory pools
(`memory`, `placement`), and every other op through the class registry
(`registry`), where tir's operator ops run the numpy TFLite kernels
(`operators`, `kernels`). docs/interpreter.md describes the semantics.
"""

from tirconst.interpreter.equivalence import Equivalence, check_equivalent
from tirconst.interpreter.errors import InterpreterError, NotEquivalentError
from tirconst.interpreter.program import (
    CompiledFunction,
    Program,
    load,
    random_inputs,
    run_function,
)

__all__ = [
    "CompiledFunction",
    "Equivalence",
    "InterpreterError",
    "NotEquivalentError",
    "Program",
    "check_equivalent",
    "load",
    "random_inputs",
    "run_function",
]
