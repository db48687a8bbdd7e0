"""TVM as the judge of tir's loop-level semantics (test side).

`run_tvm(func, inputs)` compiles a TVM PrimFunc for the CPU (`llvm`) and runs
it on numpy inputs keyed by parameter name; `assert_same_as_tvm(func, inputs)`
also imports the PrimFunc as tir, runs our interpreter on the same inputs and
requires every parameter's final contents to agree bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import tvm
from xdsl.dialects.builtin import ModuleOp

from tirconst.dialects import tir
from tirconst.frontend.tvm import import_tvm
from tirconst.interpreter import run_function


def _params(func: Any) -> list[tuple[str, tuple[int, ...], np.dtype]]:
    out = []
    for p in func.params:
        ty = p.ty
        shape = tuple(int(d.value) for d in ty.shape)
        out.append((str(p.name), shape, np.dtype(str(ty.dtype.dtype))))
    return out


def run_tvm(func: Any, inputs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Compile `func` with TVM (llvm) and run it; every parameter's contents."""
    lib = tvm.compile(func, target="llvm")
    tensors = []
    for name, shape, dtype in _params(func):
        data = np.array(inputs[name], dtype=dtype)
        assert data.size == int(np.prod(shape)), (name, data.shape, shape)
        tensors.append(tvm.runtime.tensor(data.reshape(shape).copy()))
    lib(*tensors)
    return {
        name: t.numpy().reshape(shape)
        for (name, shape, _), t in zip(_params(func), tensors, strict=True)
    }


def random_inputs(func: Any, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded data for every parameter: full-range integers up to 16 bits,
    moderate int32/int64 (whose overflow is undefined), small floats."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape, dtype in _params(func):
        if dtype == np.bool_:
            out[name] = rng.integers(0, 2, shape).astype(np.bool_)
        elif dtype.kind == "i" and dtype.itemsize >= 4:
            # int32/int64 arithmetic must not overflow (TVM's rule): moderate data
            out[name] = rng.integers(-(1 << 12), 1 << 12, shape).astype(dtype)
        elif dtype.kind in "iu":
            info = np.iinfo(dtype)
            out[name] = rng.integers(
                info.min, info.max, shape, dtype=dtype, endpoint=True
            )
        else:
            out[name] = (rng.standard_normal(shape) * 50).astype(dtype)
    return out


def bits(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    if a.dtype == np.bool_:
        return a.view(np.uint8)
    return a.view(np.dtype(f"u{a.dtype.itemsize}"))


def assert_same_results(
    ours: Mapping[str, np.ndarray], theirs: Mapping[str, np.ndarray], what: str = ""
) -> None:
    for name, expected in theirs.items():
        got = ours[name]
        same = bits(got) == bits(expected)
        if not same.all():
            i = tuple(int(x) for x in np.argwhere(~same)[0])
            raise AssertionError(
                f"{what}{name}{list(i)}: tirconst {got[i]!r}, TVM {expected[i]!r}"
            )


def assert_same_as_tvm(
    func: Any,
    inputs: Mapping[str, np.ndarray] | None = None,
    module: ModuleOp | None = None,
) -> ModuleOp:
    """Import `func` (unless `module` is given), run both, compare bit for bit."""
    inputs = dict(inputs) if inputs is not None else random_inputs(func)
    if module is None:
        module = import_tvm(func)
    (name,) = [f.sym_name.data for f in module.ops if isinstance(f, tir.FuncOp)]
    ours = run_function(module, inputs, name)
    theirs = run_tvm(func, inputs)
    assert_same_results(ours, theirs)
    return module


def tvm_objects(text: str, directory) -> list[Any]:
    """The PrimFuncs and IRModules a TVMScript text defines, as TVM parses it."""
    import runpy
    import tempfile

    with tempfile.NamedTemporaryFile(
        "w", suffix=".py", dir=directory, delete=False
    ) as f:
        f.write(text)
    namespace = runpy.run_path(f.name)
    return [
        v for v in namespace.values() if type(v).__name__ in ("PrimFunc", "IRModule")
    ]
