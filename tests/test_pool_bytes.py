"""`pool_bytes_at`: the bytes a planned pool holds while each op runs (the
per-layer CSV's `Staging Usage`)."""

from __future__ import annotations

from pathlib import Path

from tirconst.analysis.sram import pool_bytes_at
from tirconst.core.context import context, load
from tirconst.dialects.tir import FuncOp
from tirconst.transforms.plan_memory import PlanMemoryPass

# Three 8-byte temporaries in a chain: %t1 dies when %t3 is born.
PROGRAM = """
tir.func @main(%a : !tir.buffer<8xi8>, %out : !tir.buffer<8xi8>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %t1 = tir.allocate : !tir.buffer<8xi8>
  %t2 = tir.allocate : !tir.buffer<8xi8>
  %t3 = tir.allocate : !tir.buffer<8xi8>
  tir.for %i = %c0 to %c8 {
    %v = tir.buffer_load %a[%i] : !tir.buffer<8xi8>
    tir.buffer_store %v, %t1[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t1[%i] : !tir.buffer<8xi8>
    tir.buffer_store %x, %t2[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t2[%i] : !tir.buffer<8xi8>
    tir.buffer_store %x, %t3[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t3[%i] : !tir.buffer<8xi8>
    tir.buffer_store %x, %out[%i] : !tir.buffer<8xi8>
  }
}
"""


def _stores(reuse_io: bool) -> list[int]:
    module = load(PROGRAM)
    PlanMemoryPass(reuse_io=reuse_io).apply(context(), module)
    func = next(op for op in module.ops if isinstance(op, FuncOp))
    at = pool_bytes_at(func, "sram", "use" if reuse_io else "call")
    return [at[op] for op in func.walk() if op.name == "tir.buffer_store"]


def test_pool_bytes_follow_the_lifetimes():
    """Parameters live for the whole call (16 bytes), plus the temporaries
    live at each store: t1; t1 and t2; t2 and t3; t3."""
    assert _stores(reuse_io=False) == [24, 32, 32, 24]


def test_pool_bytes_with_inputs_and_outputs_reused():
    """reuse-io: the input lives until its last read, the output from its
    first write."""
    assert _stores(reuse_io=True) == [16, 16, 16, 16]


def test_compiled_staging_is_within_the_pool(tmp_path: Path):
    """Every row of a compiled model's per-layer CSV holds at least its
    output's bytes and at most the SRAM pool; the peak row is non-zero."""
    import csv

    from tests.tflite_patch import MODELS
    from tirconst.tools.compile import compile_model

    result = compile_model(MODELS / "tflite_micro_speech.tflite", tmp_path)
    rows = list(csv.DictReader(open(tmp_path / "tflite_micro_speech_per-layer.csv")))
    staging = [int(r["Staging Usage"]) for r in rows]
    assert staging == [r.sram_bytes for r in result.layers]
    assert 0 < max(staging) <= result.sram_bytes
    # CONV (49x40x1 -> 25x20x8) then FC: both the conv's input and output live
    assert staging[0] >= 49 * 40 + 25 * 20 * 8
