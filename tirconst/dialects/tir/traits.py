"""What passes ask of an operator op, as xDSL traits (MLIR's op interfaces):
a pass asks `op.has_trait(T)`, never the op's class, so a new operator that
declares its traits needs no edit in the passes.

The weighted interface (filter, bias, per-channel data, the filter as the
NPU reads it) is the `WeightedOp` base class of `convolution_ops`, and the
window geometry is `WeightedOp.npu_geometry()`; the traits here are the
markers with no data of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import Operation
from xdsl.traits import OpTrait


@dataclass(frozen=True)
class Elementwise(OpTrait):
    """Output element i depends only on the input elements at i (after
    broadcasting): a tile of the output reads the same tile of each full-size
    input, and the output may take the bytes of an input that dies at the op
    (in place: `tir-plan-memory{reuse-io}` shares them)."""

    def verify(self, op: Operation) -> None:
        return None


__all__ = ["Elementwise"]
