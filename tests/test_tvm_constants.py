"""The constant passes on an imported TVM program (the RFC's scenario, end to
end): a PrimFunc whose weights are parameters is imported, the weights bound
to numpy data (first-class constants), extracted, folded and sliced; the
result, exported back to TVMScript (constants as parameters beside it), runs
in TVM and equals the original PrimFunc run in TVM on the weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tvm.script.parser import parse
from tvm.script.parser import tirx as T

from tests.tvm_oracle import assert_same_results, run_tvm, tvm_objects
from tirconst.backend.tvmscript import to_tvmscript
from tirconst.core.context import context
from tirconst.dialects import tir
from tirconst.frontend.tvm import import_tvm
from tirconst.interpreter import run_function
from tirconst.transforms.bind_params import BindParamsPass
from tirconst.transforms.extract_constants import ExtractConstantsPass
from tirconst.transforms.fold_constants import FoldConstantsPass
from tirconst.transforms.slice_constants import SliceConstantsPass

# A fully connected layer split over output channels, as a schedule that
# unrolled the split leaves it: each half reads its own rows of `w`; `zp` is
# a zero point read at a constant index; `scale` a uniform table.
HALF = """
    for n in T.serial(2):
        for o in T.serial({lo}, {hi}):
            acc[0] = bias[o]
            for k in T.serial(8):
                acc[0] = acc[0] + (T.Cast("int32", x[n, k]) - zp[1]) * T.Cast(
                    "int32", w[o, k])
            q = T.bind(T.floordiv(acc[0] * scale[o], 256))
            y[n, o] = T.Cast("int8", T.max(T.min(q, 127), -128))
"""
SOURCE = (
    """
@T.prim_func
def dense(x: T.Buffer((2, 8), "int8"), w: T.Buffer((4, 8), "int8"),
          bias: T.Buffer((4,), "int32"), zp: T.Buffer((2,), "int32"),
          scale: T.Buffer((4,), "int32"), y: T.Buffer((2, 4), "int8")):
    acc = T.alloc_buffer((1,), "int32", scope="local")"""
    + HALF.format(lo=0, hi=2)
    + HALF.format(lo=2, hi=4)
)


def test_bound_extracted_folded_sliced_and_back_in_tvm(tmp_path: Path) -> None:
    func = parse(SOURCE, extra_vars={"T": T})
    rng = np.random.default_rng(7)
    weights = {
        "w": rng.integers(-128, 128, (4, 8)).astype(np.int8),
        "bias": rng.integers(-1000, 1000, 4).astype(np.int32),
        "zp": np.array([0, -3], np.int32),
        "scale": np.full(4, 77, np.int32),
    }
    x = rng.integers(-128, 128, (2, 8)).astype(np.int8)
    expected = run_tvm(func, {"x": x, "y": np.zeros((2, 4), np.int8), **weights})

    module = import_tvm(func)
    np.savez(tmp_path / "weights.npz", **weights)
    ctx = context()
    BindParamsPass(file=str(tmp_path / "weights.npz")).apply(ctx, module)
    (f,) = [op for op in module.ops if isinstance(op, tir.FuncOp)]
    assert f.names == ("x", "y")  # the weights are constants now
    ExtractConstantsPass().apply(ctx, module)
    FoldConstantsPass().apply(ctx, module)
    SliceConstantsPass(quiet=True).apply(ctx, module)
    module.verify()
    text = str(module)
    consts = [op for op in module.ops if isinstance(op, tir.ConstantOp)]
    # zp[1] and the uniform scale folded away; w sliced into its two halves
    names = [c.sym_name.data for c in consts]
    assert not [n for n in names if "zp" in n or "scale" in n], text
    w_slices = [c for c in consts if "_w_slice" in c.sym_name.data]
    assert [c.data.shape for c in w_slices] == [(2, 8), (2, 8)], text
    ours = run_function(module, {"x": x}, "dense")
    assert_same_results({"y": ours["y"]}, {"y": expected["y"]}, "tirconst: ")

    script = to_tvmscript(module)
    assert sorted(script.params) == sorted(c.sym_name.data for c in consts)
    (back,) = tvm_objects(script.text, tmp_path)
    theirs = run_tvm(back, {"x": x, "y": np.zeros((2, 4), np.int8), **script.params})
    assert_same_results({"y": theirs["y"]}, {"y": expected["y"]}, "exported: ")
