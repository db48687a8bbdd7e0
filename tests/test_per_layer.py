"""The per-layer CSV's figures come from provenance (docs/compile.md): each
npu op carries the model operator and part it was lowered from, and each
NPU row sums the estimate's ops with its own, however many a lowering
emits (an NPU LSTM too); the rows add up to the summary's totals."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tests.test_tflite_litert import Op, T, build_tflite
from tests.tflite_patch import MODELS
from tirconst.analysis.performance import estimate
from tirconst.backend.ethos_u.summary import read_summary
from tirconst.dialects.npu.ops import BlockOp
from tirconst.dialects.tir.provenance import TFLITE_INDEX
from tirconst.tools.compile import (
    NO_OPERATOR,
    Compiler,
    _with_performance,
    compile_model,
    system_config,
)

BUNDLED = sorted(p.stem for p in MODELS.glob("*.tflite"))
NETWORKS = ["transformer", "gru", "int16x8", "lstm"]


def multi_op_model() -> bytes:
    """Operators whose NPU lowerings are many ops: an int8 SOFTMAX over 600
    channels (windowed row maximum, zeroed reciprocal), an int16 SOFTMAX and
    an ARG_MAX (two pools and a subtraction)."""
    tensors = [
        T((1, 6, 600), np.int8, 0.05, 3),
        T((1, 6, 600), np.int8, 1 / 256, -128),
        T((1, 4, 32), np.int16, 0.002, 0),
        T((1, 4, 32), np.int16, 1 / 32768, 0),
        T((1, 5, 40), np.int8, 0.1, -2),
        T((1,), np.int32, data=np.array([2], np.int32)),
        T((1, 5), np.int32),
    ]
    ops = [
        Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": 1.0})),
        Op("SOFTMAX", [2], [3], ("SoftmaxOptions", {"Beta": 1.0})),
        Op("ARG_MAX", [4, 5], [6], ("ArgMaxOptions", {"OutputType": 2})),
    ]
    return build_tflite(tensors, ops, [0, 2, 4], [1, 3, 6])


def _path(name: str, tmp: Path) -> Path:
    if name == "multi_op":
        path = tmp / "multi_op.tflite"
        path.write_bytes(multi_op_model())
        return path
    if name in NETWORKS:
        return MODELS / "networks" / f"{name}.tflite"
    return MODELS / f"{name}.tflite"


@pytest.mark.parametrize("name", [*BUNDLED, *NETWORKS, "multi_op"])
def test_rows_add_up_to_the_summary(name: str, tmp_path: Path) -> None:
    """Every NPU row has figures, no op lacks provenance (no `(no
    operator)` row), and the rows' Op Cycles, NPU and access cycles add up
    to the summary's totals (each row rounded)."""
    compile_model(_path(name, tmp_path), tmp_path)
    stem = "multi_op" if name == "multi_op" else name
    s = read_summary(tmp_path / f"{stem}_summary_tirconst.csv")
    with open(tmp_path / f"{stem}_per-layer.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    npu = [r for r in rows if r["Target"] == "NPU"]
    assert npu and all(r["Op Cycles"] and r["NPU"] and r["SRAM AC"] for r in npu)
    assert not [r for r in rows if r["Name"] == NO_OPERATOR]
    total = float(s["cycles_total"])
    assert sum(float(r["Op Cycles"]) for r in npu) == pytest.approx(total, abs=len(npu))
    assert sum(float(r["NPU"]) for r in npu) == pytest.approx(float(s["cycles_npu"]))
    for column, key in (("SRAM AC", "sram"), ("OffFlash AC", "off_chip_flash")):
        got = sum(float(r[column]) for r in npu)
        assert got == pytest.approx(float(s[f"cycles_{key}_access"]))
    if name == "multi_op":  # each operator one row, each of many block ops
        assert [r["Original Operator"] for r in npu] == [
            "SOFTMAX",
            "SOFTMAX_INT16",
            "ARG_MAX",
        ]
        assert all(float(r["Op Cycles"]) > 0 for r in npu)


def test_ops_without_provenance_have_a_row(tmp_path: Path) -> None:
    """An npu op with no `tflite.index` is summed in the `(no operator)`
    row: the rows still add up to the estimate, and the row it was taken
    from has less."""
    path = tmp_path / "multi_op.tflite"
    path.write_bytes(multi_op_model())
    compiler = Compiler(path, "ethos-u55-128", None, None, lambda _: None)
    module, _ = compiler.run()
    cfg = system_config("ethos-u55-128")
    before = _with_performance(compiler.rows, estimate(module, cfg))
    last = [o for o in module.walk() if isinstance(o, BlockOp)][-1]
    del last.attributes[TFLITE_INDEX]
    perf = estimate(module, cfg)
    after = _with_performance(compiler.rows, perf)
    assert after[-1].name == NO_OPERATOR and after[-1].cycles
    assert sum(r.cycles or 0 for r in after) == pytest.approx(
        perf.cycles, abs=len(after)
    )
    assert (after[-2].cycles or 0) < (before[-1].cycles or 0)
