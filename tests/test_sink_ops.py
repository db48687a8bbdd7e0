"""`tir-sink-ops`: operator ops moved down to just before the op that needs
them only where the SRAM measure goes down; the program computes the same
bytes. On the unrolled GRU of models/networks every step's input projection
comes first in the converter's order; sunk, the SRAM is about Vela's."""

from __future__ import annotations

from pathlib import Path

import pytest
from xdsl.dialects.builtin import ModuleOp

from tests.helpers import assert_equivalent
from tirconst.analysis.sram import sram_peak
from tirconst.core.context import context
from tirconst.dialects.tir import FuncOp
from tirconst.frontend.importer import import_tflite
from tirconst.tools.compile import _passes
from tirconst.transforms.sink_ops import SinkOpsPass, sink_block

ROOT = Path(__file__).resolve().parent.parent
GRU = ROOT / "models" / "networks" / "gru.tflite"
MODELS = sorted((ROOT / "models").glob("*.tflite"))


def _before_sinking(path: Path) -> ModuleOp:
    """The model as `tirconst-compile` has it when `tir-sink-ops` runs."""
    module = import_tflite(path)
    for p in _passes("tir-tabulate,tir-legalize-npu,tir-data-views"):
        p.apply(context(), module)
    return module


def _peak(module: ModuleOp) -> int:
    return max(
        sram_peak(f, reuse_io=True).bytes
        for f in module.walk()
        if isinstance(f, FuncOp)
    )


def test_gru_input_projections_sink_to_their_steps() -> None:
    before = _before_sinking(GRU)
    after = before.clone()
    SinkOpsPass(reuse_io=True).apply(context(), after)
    # 16 input projections of 72 bytes live together, then one at a time
    assert _peak(before) > 1200
    assert _peak(after) < 420  # Vela 5.2: 416 bytes planned
    assert_equivalent(before, after, trials=1)


@pytest.mark.parametrize("model", MODELS, ids=[m.stem for m in MODELS])
def test_never_raises_the_measure(model: Path) -> None:
    before = _before_sinking(model)
    after = before.clone()
    SinkOpsPass(reuse_io=True).apply(context(), after)
    assert _peak(after) <= _peak(before)
    assert_equivalent(before, after, trials=1)


@pytest.mark.parametrize(
    "model",
    [GRU, ROOT / "models" / "networks" / "mobilenet_v3.tflite", *MODELS[:4]],
    ids=lambda m: m.stem,
)
def test_pruned_moves_are_the_measured_ones(model: Path) -> None:
    """Moves whose span misses an op at the peak are not measured: the
    order they leave is the order measuring every move leaves."""
    pruned = _before_sinking(model)
    full = pruned.clone()
    for module, prune in ((pruned, True), (full, False)):
        for f in module.walk():
            if isinstance(f, FuncOp):
                sink_block(f, f.body.block, True, prune=prune)
    assert str(pruned) == str(full)
